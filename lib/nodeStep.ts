/**
 * A command run on a lab node over SSH. The command provider passes a command's previous output to
 * its next run (on an update or delete) as environment variables of the SSH session, which the
 * nodes' sshd refuses (no AcceptEnv), with a warning on every update: the lab's scripts never read
 * them, so they are not sent.
 */
import * as command from "@pulumi/command";
import type * as pulumi from "@pulumi/pulumi";

export function nodeStep(
  name: string,
  args: command.remote.CommandArgs,
  opts?: pulumi.CustomResourceOptions,
): command.remote.Command {
  return new command.remote.Command(name, { addPreviousOutputInEnv: false, ...args }, opts);
}
