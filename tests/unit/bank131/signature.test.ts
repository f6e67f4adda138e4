import { createHash, generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { Bank131KeyError, loadPrivateKey, loadPublicKey, signBody, verifyBody } from "@/lib/bank131/signature";
import { sdkPrivateKey, sdkPublicKey, vectors } from "./helpers";

describe("signature — published SDK vector (A.2)", () => {
  it("signs {} to the exact Base64 from the php-sdk test-suite", () => {
    const signature = signBody("{}", sdkPrivateKey);
    expect(signature).toBe(vectors.A2.signature);
    expect(signature).toHaveLength(344);
    expect(createHash("sha256").update("{}").digest("hex")).toBe(vectors.A2.sha256);
  });

  it("verifies the published signature with the public key", () => {
    expect(verifyBody("{}", vectors.A2.signature, sdkPublicKey)).toBe(true);
    expect(verifyBody(Buffer.from("{}"), vectors.A2.signature, sdkPublicKey)).toBe(true);
  });

  it("derives the same public key from the private key", () => {
    expect(verifyBody("{}", vectors.A2.signature, loadPublicKey(sdkPrivateKey))).toBe(true);
  });
});

describe("signature — derived vectors (B, B.1)", () => {
  for (const v of [...vectors.B, ...vectors.B1]) {
    const label = JSON.stringify(v.body).slice(0, 60);
    it(`sign/verify ${label}`, () => {
      expect(Buffer.byteLength(v.body, "utf8")).toBe(v.bytes);
      expect(signBody(v.body, sdkPrivateKey)).toBe(v.signature);
      expect(verifyBody(v.body, v.signature, sdkPublicKey)).toBe(true);
      expect(verifyBody(Buffer.from(v.body, "utf8"), v.signature, sdkPublicKey)).toBe(true);
    });
  }

  it("the Cyrillic vector is signed over UTF-8 bytes, not an escaped re-serialisation", () => {
    const cyrillic = vectors.B.find((v) => v.body.includes("Иванов"));
    expect(cyrillic).toBeDefined();
    const escaped = JSON.stringify(JSON.parse(cyrillic!.body)).replace(/[\u0400-\u04ff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
    expect(JSON.parse(escaped)).toEqual(JSON.parse(cyrillic!.body));
    expect(verifyBody(escaped, cyrillic!.signature, sdkPublicKey)).toBe(false);
  });
});

describe("signature — negative vectors (A.3 and more)", () => {
  it("rejects a garbage signature", () => {
    expect(verifyBody("{}", "broken_signature", sdkPublicKey)).toBe(false);
    expect(verifyBody("{}", "", sdkPublicKey)).toBe(false);
    expect(verifyBody("{}", null, sdkPublicKey)).toBe(false);
    expect(verifyBody("{}", undefined, sdkPublicKey)).toBe(false);
    expect(verifyBody("{}", "AAAA", sdkPublicKey)).toBe(false);
    expect(verifyBody("{}", "a4f1698616d6ad7b8b73a9d72d281eeb443b64dee3f38df430eeed6aa29e1dc", sdkPublicKey)).toBe(false);
  });

  it("rejects unparsable keys with a typed error", () => {
    expect(() => loadPrivateKey("wrong_private_key_format")).toThrow(Bank131KeyError);
    expect(() => loadPrivateKey("wrong_private_key_format")).toThrow(/Wrong private key/);
    expect(() => loadPublicKey("wrong_public_key_format")).toThrow(Bank131KeyError);
  });

  it("rejects non-RSA keys", () => {
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    expect(() => loadPrivateKey(privateKey.export({ type: "pkcs8", format: "pem" }))).toThrow(Bank131KeyError);
    expect(() => loadPublicKey(publicKey.export({ type: "spki", format: "pem" }))).toThrow(Bank131KeyError);
  });

  it("a trailing newline breaks verification", () => {
    expect(verifyBody("{}\n", vectors.A2.signature, sdkPublicKey)).toBe(false);
    const lf = vectors.B.find((v) => v.body === "{}\n");
    expect(lf).toBeDefined();
    expect(verifyBody("{}", lf!.signature, sdkPublicKey)).toBe(false);
  });

  it("an altered body fails verification", () => {
    const v = vectors.B1.find((x) => x.name === "session_confirm_request")!;
    expect(verifyBody(v.body.replace("3230", "3231"), v.signature, sdkPublicKey)).toBe(false);
    expect(verifyBody(v.body.replace(":", ": "), v.signature, sdkPublicKey)).toBe(false);
  });

  it("a signature by another key fails verification", () => {
    const other = generateKeyPairSync("rsa", { modulusLength: 2048 });
    expect(verifyBody("{}", signBody("{}", other.privateKey), sdkPublicKey)).toBe(false);
  });
});
