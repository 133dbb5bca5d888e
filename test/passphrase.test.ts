/**
 * The stack files a reader pulls stay as committed on a stack's first run: each carries the check
 * value of the lab passphrase (`encryptionsalt`), which Pulumi then reads instead of writing a new
 * one, with its comments gone, into the file.
 *
 * Pulumi (pulumi/pulumi v3.259.0, the CLI the launcher pins):
 * - pkg/cmd/pulumi/stack/io.go:378-456 (CreateStack) saves the stack file only when
 *   createSecretsManagerForNewStack says so, and pkg/cmd/pulumi/stack/secrets.go:321-335
 *   (needsSaveProjectStackAfterSecretManger) says so only when the salt changed;
 * - pkg/secrets/passphrase/manager.go:301-329 (NewPromptingPassphraseSecretsManager) keeps a salt
 *   that is there and only checks the passphrase against it (lines 48-73: the state is
 *   `v1:<salt>:<the word "pulumi" encrypted>`, and any other passphrase is ErrIncorrectPassphrase);
 * - sdk/go/common/resource/config/crypt.go:165-170 derives the key with PBKDF2-SHA256, 1,000,000
 *   rounds, 32 bytes; lines 179-225 encrypt as `v1:<12-byte nonce>:<AES-256-GCM ciphertext+tag>`.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import YAML from "yaml";
import { DEFAULT_PASSPHRASE, passphraseOpens } from "../tools/lab";
import { PROJECT_DIR } from "../tools/mockRun";
import { checkValueFor, decrypt, keyOf } from "./passphrase";

/** Every secure value in a stack file's settings. */
function secureValues(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(secureValues);
  if (node && typeof node === "object") {
    const entries = Object.entries(node);
    if (entries.length === 1 && entries[0][0] === "secure") return [String(entries[0][1])];
    return entries.flatMap(([, v]) => secureValues(v));
  }
  return [];
}

const tracked = spawnSync("git", ["ls-files", "Pulumi.*.yaml"], {
  cwd: PROJECT_DIR,
  encoding: "utf8",
})
  .stdout.split("\n")
  .filter((f) => /^Pulumi\.[^/]+\.yaml$/.test(f));

describe("the committed stack files and the lab passphrase", () => {
  it("git tracks the stack files of every chapter", () => {
    expect(tracked).toEqual(
      expect.arrayContaining(["Pulumi.ch2.yaml", "Pulumi.cluster.yaml", "Pulumi.practice.yaml"]),
    );
  });

  it("every tracked stack file carries a check value the lab passphrase opens, and its secrets open with it", async () => {
    const keys = new Map<string, Promise<Buffer>>();
    for (const file of tracked) {
      const doc = YAML.parse(fs.readFileSync(path.join(PROJECT_DIR, file), "utf8")) ?? {};
      const state = doc.encryptionsalt;
      expect(typeof state, `${file}: encryptionsalt`).toBe("string");
      const [version, salt, ...check] = String(state).split(":");
      expect(version, file).toBe("v1");
      let key = keys.get(salt);
      if (!key) {
        key = keyOf(DEFAULT_PASSPHRASE, Buffer.from(salt, "base64"));
        keys.set(salt, key);
      }
      const opened = await key;
      expect(decrypt(check.join(":"), opened), file).toBe("pulumi");
      for (const secure of secureValues(doc.config)) {
        expect(() => decrypt(secure, opened), `${file}: a secure value`).not.toThrow();
      }
      // Nothing but the passphrase manager's own field: a cloud secrets provider would be asked
      // for a key instead.
      expect(doc.secretsprovider, file).toBeUndefined();
      expect(doc.encryptedkey, file).toBeUndefined();
    }
  }, 60_000);

  it("another passphrase does not open it (the check above can fail)", async () => {
    const doc = YAML.parse(fs.readFileSync(path.join(PROJECT_DIR, tracked[0]), "utf8"));
    const [, salt, ...check] = String(doc.encryptionsalt).split(":");
    const key = await keyOf("not-the-lab-passphrase", Buffer.from(salt, "base64"));
    expect(() => decrypt(check.join(":"), key)).toThrow();
  }, 30_000);

  it("npm run lab tells the two apart the same way", async () => {
    const mine = await checkValueFor("mine");
    expect(passphraseOpens(mine, "mine")).toBe(true);
    expect(passphraseOpens(mine, DEFAULT_PASSPHRASE)).toBe(false);
    expect(passphraseOpens("v1:not-a-check-value", "mine")).toBe(false);
  }, 30_000);
});
