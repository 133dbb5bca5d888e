/**
 * Pulumi's passphrase secrets manager, redone with node:crypto from its source for the tests
 * (pulumi/pulumi v3.259.0: pkg/secrets/passphrase/manager.go:48-73 and 163-192,
 * sdk/go/common/resource/config/crypt.go:165-225): PBKDF2-SHA256 with 1,000,000 rounds gives a
 * 32-byte key; values are `v1:<12-byte nonce>:<AES-256-GCM ciphertext and tag>`; the check value
 * in `encryptionsalt` is `v1:<8-byte salt>:` and the word "pulumi" encrypted.
 */
import { createCipheriv, createDecipheriv, pbkdf2, randomBytes } from "node:crypto";
import { promisify } from "node:util";

const derive = promisify(pbkdf2);

/** The key Pulumi's passphrase manager derives from a passphrase and a salt. */
export function keyOf(phrase: string, salt: Buffer): Promise<Buffer> {
  return derive(phrase, salt, 1_000_000, 32, "sha256");
}

/** A `v1:<nonce>:<ciphertext>` value decrypted with `key`, as crypt.go's DecryptValue does. */
export function decrypt(value: string, key: Buffer): string {
  const [version, nonce, sealed] = value.split(":");
  if (version !== "v1") throw new Error(`not a v1 value: ${value}`);
  const bytes = Buffer.from(sealed, "base64");
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(nonce, "base64"));
  decipher.setAuthTag(bytes.subarray(bytes.length - 16));
  return Buffer.concat([decipher.update(bytes.subarray(0, -16)), decipher.final()]).toString();
}

/** A check value for `phrase`, made as manager.go's NewPassphraseSecretsManager makes one. */
export async function checkValueFor(phrase: string): Promise<string> {
  const salt = randomBytes(8);
  const nonce = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", await keyOf(phrase, salt), nonce);
  const sealed = Buffer.concat([cipher.update("pulumi"), cipher.final(), cipher.getAuthTag()]);
  return `v1:${salt.toString("base64")}:v1:${nonce.toString("base64")}:${sealed.toString("base64")}`;
}
