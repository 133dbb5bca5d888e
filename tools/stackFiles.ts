/** The project folder and its stack files; light, for tools that must start fast. */
import * as fs from "node:fs";
import * as path from "node:path";

/** The project folder (where `Pulumi.yaml` lives). */
export const PROJECT_DIR = path.resolve(__dirname, "..");

/** Stacks that have a `Pulumi.<stack>.yaml` in the project. */
export function stackFiles(): string[] {
  return fs
    .readdirSync(PROJECT_DIR)
    .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
}
