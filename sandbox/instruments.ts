import { createHmac, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Store } from "./store";
import {
  TEST_BANK_ACCOUNTS,
  TEST_CARDS,
  checkCardNumber,
  findTestAccount,
  findTestCard,
  maskAccount,
  type Behaviour,
  type CardBrand,
} from "./test-instruments";
import { isoMicro } from "./util";

/**
 * Card and token registry. A card is known only by number_hash → masked data + test behaviour; the full
 * number is never stored. Hashes are HMAC-SHA256 with a per-data-dir secret, so the same card always yields
 * the same hash (and the hash cannot be reversed without the secret).
 */

export interface CardRecord {
  number_hash: string;
  bin: string;
  last4: string;
  brand: CardBrand;
  country_iso3: string;
  behaviour: Behaviour;
  created_at: string;
}

export type TokenType = "card" | "recurrent" | "bank_account_ru";

export interface TokenRecord {
  token: string;
  type: TokenType;
  created_at: string;
  finished_at?: string;
  is_active: boolean;
  number_hash?: string;
  bik?: string;
  account?: string;
  behaviour?: Behaviour;
}

export interface PublicTokenRecord {
  token: string;
  project: string;
  widgets: string[];
  created_at: string;
  expires_at_ms: number;
  spent_at?: string;
  /** `self_employed_widget.tax_reference`: the only INN the linking widget may link with this token. */
  tax_reference?: string;
}

export interface MaskedCard {
  last4: string;
  brand: CardBrand;
  bin: string;
  country_iso3: string;
}

/** Literal hashes/tokens from the seed documents, so their bodies work verbatim against the sandbox. */
export const SEED_ALIASES = {
  cardHashes: {
    "63191fa17cc7edf818ee5d6611a2c2169ab30b705111cffd710af39880deef09": "mir_success",
    "064e7045a239e2d5d0448c2f72be84beb8d6dc47020f5b1174bccb6f3b9b2f1b": "mir_success",
  },
  cardTokens: { "759c9852dde2211d7531b3d905c1d513fbfb914bee87fb567d99c7b2f2c2ad44": "mastercard_success" },
  recurrentTokens: { "9a8a650c49de69eb98549027c5bc366f5bda51efe59bb8c0e02eb8a8a4e359da": "visa_success" },
  bankAccountTokens: {
    "3f03ee2580046153bb0aa859558e7ada10d3835270fdb4c4b70961239d37f31d": "seed_account",
    "19f60ded07aca55eb43d1edeac15273d789b0c9b70df99a30851ee510827443f": "seed_account",
  },
} as const;

const RECURRENT_TTL_MS = 365 * 24 * 60 * 60 * 1000;

export class Registry {
  private readonly secret: Buffer;

  constructor(
    private readonly store: Store,
    dataDir: string,
  ) {
    this.secret = loadSecret(dataDir);
  }

  private hmac(label: string, value: string): string {
    return createHmac("sha256", this.secret).update(`${label}:${value}`).digest("hex");
  }

  /** Pre-registers the test cards, their card tokens and the seed aliases (idempotent, cheap on restart). */
  ensureBuiltins(): void {
    for (const card of TEST_CARDS) {
      const record = this.registerCard(card.number);
      if (record) this.cardToken(record.number_hash);
    }
    for (const account of TEST_BANK_ACCOUNTS) this.bankAccountToken(account.bik, account.account);
    const byId = (id: string) => TEST_CARDS.find((c) => c.id === id);
    for (const [hash, id] of Object.entries(SEED_ALIASES.cardHashes)) {
      const card = byId(id);
      if (card && !this.store.has("cards", hash)) this.putCard(hash, card.number, card.brand);
    }
    for (const [token, id] of Object.entries(SEED_ALIASES.cardTokens)) {
      const card = byId(id);
      if (card && !this.store.has("tokens", token)) {
        this.store.put<TokenRecord>("tokens", token, { token, type: "card", created_at: isoMicro(), is_active: true, number_hash: this.hashOf(card.number) });
      }
    }
    for (const [token, id] of Object.entries(SEED_ALIASES.recurrentTokens)) {
      const card = byId(id);
      if (card && !this.store.has("tokens", token)) {
        const now = Date.now();
        this.store.put<TokenRecord>("tokens", token, {
          token,
          type: "recurrent",
          created_at: isoMicro(now),
          finished_at: isoMicro(now + RECURRENT_TTL_MS),
          is_active: true,
          number_hash: this.hashOf(card.number),
        });
      }
    }
    for (const [token, id] of Object.entries(SEED_ALIASES.bankAccountTokens)) {
      const account = TEST_BANK_ACCOUNTS.find((a) => a.id === id);
      if (account && !this.store.has("tokens", token)) {
        this.store.put<TokenRecord>("tokens", token, {
          token,
          type: "bank_account_ru",
          created_at: isoMicro(),
          is_active: true,
          bik: account.bik,
          account: account.account,
        });
      }
    }
  }

  hashOf(digits: string): string {
    return this.hmac("card", digits);
  }

  private putCard(hash: string, digits: string, brand: CardBrand): CardRecord {
    const test = findTestCard(digits);
    const record: CardRecord = {
      number_hash: hash,
      bin: digits.slice(0, 6),
      last4: digits.slice(-4),
      brand,
      country_iso3: test?.country_iso3 ?? "RUS",
      behaviour: test?.behaviour ?? { kind: "success" },
      created_at: isoMicro(),
    };
    this.store.put("cards", hash, record);
    return record;
  }

  /** Registers a PAN (from the widget, a PCI payout or the control API); null if it is not a valid card. */
  registerCard(number: string): CardRecord | null {
    const checked = checkCardNumber(number);
    if (!checked.ok) return null;
    const hash = this.hashOf(checked.digits);
    return this.store.get<CardRecord>("cards", hash) ?? this.putCard(hash, checked.digits, checked.brand);
  }

  card(hash: string): CardRecord | undefined {
    return this.store.get<CardRecord>("cards", hash.toLowerCase());
  }

  /** Deterministic card token (as tokenize/elements would give) for a registered card. */
  cardToken(hash: string): string {
    const token = this.hmac("card-token", hash);
    if (!this.store.has("tokens", token)) {
      this.store.put<TokenRecord>("tokens", token, { token, type: "card", created_at: isoMicro(), is_active: true, number_hash: hash });
    }
    return token;
  }

  /** A fresh recurrent token, as a recurring-enabled card payment would yield; valid one year (UNCONFIRMED). */
  recurrentToken(hash: string): TokenRecord {
    const token = randomBytes(32).toString("hex");
    const now = Date.now();
    const record: TokenRecord = {
      token,
      type: "recurrent",
      created_at: isoMicro(now),
      finished_at: isoMicro(now + RECURRENT_TTL_MS),
      is_active: true,
      number_hash: hash,
    };
    this.store.put("tokens", token, record);
    return record;
  }

  /** Deterministic bank-account token: the same account always tokenizes to the same token. */
  bankAccountToken(bik: string, account: string): TokenRecord {
    const token = this.hmac("bank-account", `${bik}:${account}`);
    const existing = this.store.get<TokenRecord>("tokens", token);
    if (existing) return existing;
    const record: TokenRecord = { token, type: "bank_account_ru", created_at: isoMicro(), is_active: true, bik, account };
    this.store.put("tokens", token, record);
    return record;
  }

  token(token: string): TokenRecord | undefined {
    return this.store.get<TokenRecord>("tokens", token.toLowerCase());
  }

  accountBehaviour(bik: string, account: string): Behaviour {
    return findTestAccount(bik, account)?.behaviour ?? { kind: "success" };
  }

  maskedAccount(account: string): string {
    return maskAccount(account);
  }

  issuePublicToken(project: string, widgets: string[], ttlMs: number, taxReference?: string): PublicTokenRecord {
    const token = randomBytes(32).toString("hex");
    const now = Date.now();
    const record: PublicTokenRecord = { token, project, widgets, created_at: isoMicro(now), expires_at_ms: now + ttlMs, ...(taxReference ? { tax_reference: taxReference } : {}) };
    this.store.put("public_tokens", token, record);
    return record;
  }

  publicToken(token: string): PublicTokenRecord | undefined {
    return this.store.get<PublicTokenRecord>("public_tokens", token);
  }

  savePublicToken(record: PublicTokenRecord): void {
    this.store.put("public_tokens", record.token, record);
  }
}

export function maskedCard(record: CardRecord): MaskedCard {
  return { last4: record.last4, brand: record.brand, bin: record.bin, country_iso3: record.country_iso3 };
}

/** The HMAC secret lives beside the journal so hashes stay stable across restarts and resets. */
function loadSecret(dataDir: string): Buffer {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, "hash-secret.key");
  if (existsSync(file)) {
    const hex = readFileSync(file, "utf8").trim();
    if (/^[0-9a-f]{64}$/.test(hex)) return Buffer.from(hex, "hex");
  }
  const secret = randomBytes(32);
  writeFileSync(file, secret.toString("hex") + "\n", { mode: 0o600 });
  return secret;
}
