import * as pulumi from "@pulumi/pulumi";
import { messages } from "./messages";

/**
 * A mistake in stack configuration. It is a `RunError`, so `pulumi preview` and `pulumi up` print the
 * message alone (no stack trace), and it is thrown before the first resource is registered, so
 * nothing is half-applied. It is worded in the reader's language (lib/messages.ts).
 */
export class ConfigError extends pulumi.RunError {
  /** One line per problem, each naming the config key. */
  readonly problems: readonly string[];

  constructor(stack: string, problems: readonly string[], hint?: string) {
    const lines = [messages().configInvalid(stack), ...problems.map((p) => `  - ${p}`)];
    if (hint) lines.push(hint);
    super(lines.join("\n"));
    this.name = "ConfigError";
    this.problems = problems;
  }
}

/** A cluster mode or chapter that cannot run on this machine or is not available yet. */
export class UnavailableError extends pulumi.RunError {
  constructor(message: string) {
    super(message);
    this.name = "UnavailableError";
  }
}
