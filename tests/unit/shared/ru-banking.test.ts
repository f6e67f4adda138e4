import { describe, expect, it } from "vitest";
import { accountWithBikSchema, bikSchema, innSchema, recipientNameSchema } from "@/lib/validation/ru-banking-schemas";
import {
  maskAccount,
  validateAccount,
  validateBik,
  validateInn,
  validateRecipientName,
  withAccountControlKey,
  withInnControlDigits,
  type RuBankingErrorCode,
} from "@/lib/validation/ru-banking";

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomDigits(rand: () => number, n: number): string {
  let s = "";
  for (let i = 0; i < n; i++) s += String(Math.floor(rand() * 10));
  return s;
}

/** Replaces the digit at `index` with a different digit. */
function changeDigit(value: string, index: number, delta: number): string {
  const d = (Number(value[index]) + delta) % 10;
  return value.slice(0, index) + String(d) + value.slice(index + 1);
}

describe("validateInn", () => {
  it.each([
    ["7707083893", "7707083893"], // Sberbank (legal entity)
    ["500100732259", "500100732259"], // individual
    ["7707 083 893", "7707083893"],
    [" 500100732259 ", "500100732259"],
  ])("accepts %j as %j", (input, value) => {
    expect(validateInn(input)).toEqual({ ok: true, value });
  });

  it.each<[string, RuBankingErrorCode, string, string]>([
    ["", "required", "Укажите ИНН.", "Enter the INN."],
    ["  ", "required", "Укажите ИНН.", "Enter the INN."],
    ["77O7083893", "invalid_characters", "ИНН должен состоять только из цифр.", "The INN must contain digits only."],
    ["7707-083893", "invalid_characters", "ИНН должен состоять только из цифр.", "The INN must contain digits only."],
    [
      "770708389",
      "invalid_length",
      "ИНН должен содержать 10 цифр (организация) или 12 цифр (физическое лицо).",
      "The INN must have 10 digits (legal entity) or 12 digits (individual).",
    ],
    [
      "77070838931",
      "invalid_length",
      "ИНН должен содержать 10 цифр (организация) или 12 цифр (физическое лицо).",
      "The INN must have 10 digits (legal entity) or 12 digits (individual).",
    ],
    ["0000000000", "invalid_value", "Такого ИНН не существует.", "This INN does not exist."],
    [
      "7707083894",
      "invalid_checksum",
      "ИНН введён с ошибкой: не сходится контрольное число.",
      "The INN has a typo: its check digit does not match.",
    ],
    [
      "500100732258",
      "invalid_checksum",
      "ИНН введён с ошибкой: не сходится контрольное число.",
      "The INN has a typo: its check digit does not match.",
    ],
    [
      "500100732249", // first control digit (11th) wrong
      "invalid_checksum",
      "ИНН введён с ошибкой: не сходится контрольное число.",
      "The INN has a typo: its check digit does not match.",
    ],
  ])("refuses %j (%s)", (input, code, ru, en) => {
    expect(validateInn(input)).toEqual({ ok: false, code, message: { ru, en } });
  });

  it("withInnControlDigits rebuilds the known INNs from their bodies", () => {
    expect(withInnControlDigits("770708389")).toBe("7707083893");
    expect(withInnControlDigits("5001007322")).toBe("500100732259");
    expect(() => withInnControlDigits("77070838")).toThrow(RangeError);
    expect(() => withInnControlDigits("77070838a")).toThrow(RangeError);
  });

  it("random generated INNs pass, and every wrong control digit is refused", () => {
    const rand = mulberry32(7);
    for (let i = 0; i < 2_000; i++) {
      for (const bodyLength of [9, 10]) {
        const inn = withInnControlDigits(randomDigits(rand, bodyLength));
        if (/^0+$/.test(inn)) continue;
        expect(validateInn(inn)).toEqual({ ok: true, value: inn });
        // Each control position, each of the 9 other digits.
        const controlPositions = inn.length === 10 ? [9] : [10, 11];
        for (const pos of controlPositions) {
          for (let delta = 1; delta <= 9; delta++) {
            const bad = changeDigit(inn, pos, delta);
            expect(validateInn(bad)).toMatchObject({ ok: false, code: "invalid_checksum" });
          }
        }
      }
    }
  });
});

describe("validateBik", () => {
  it.each([
    ["049205131", "049205131"],
    ["044525974", "044525974"],
    [" 044 525 225 ", "044525225"],
  ])("accepts %j", (input, value) => {
    expect(validateBik(input)).toEqual({ ok: true, value });
  });

  it.each<[string, RuBankingErrorCode, string, string]>([
    ["", "required", "Укажите БИК банка.", "Enter the bank's BIK."],
    ["04452522S", "invalid_characters", "БИК должен состоять только из цифр.", "The BIK must contain digits only."],
    ["04452522", "invalid_length", "БИК должен содержать 9 цифр.", "The BIK must have 9 digits."],
    ["0445252250", "invalid_length", "БИК должен содержать 9 цифр.", "The BIK must have 9 digits."],
    ["024501901", "invalid_prefix", "БИК российского банка начинается с 04.", "A Russian bank's BIK starts with 04."],
    ["144525225", "invalid_prefix", "БИК российского банка начинается с 04.", "A Russian bank's BIK starts with 04."],
  ])("refuses %j (%s)", (input, code, ru, en) => {
    expect(validateBik(input)).toEqual({ ok: false, code, message: { ru, en } });
  });
});

describe("validateAccount", () => {
  it.each([
    // Pairs from docs/bank131/api-reference.md §9: both carry a correct control key.
    ["40702810200000000025", "049205131"], // SEED-2
    ["40817810400003869535", "044525974"], // D-RUACC
    // The brief's "do not trust" example (Sberbank BIK) also happens to be valid.
    ["40702810938000000001", "044525225"],
    ["4070 2810 2000 0000 0025", "049205131"],
  ])("accepts %s with BIK %s", (account, bik) => {
    expect(validateAccount(account, bik)).toEqual({ ok: true, value: account.replace(/\s/g, "") });
  });

  it.each<[string, string, RuBankingErrorCode, string, string]>([
    ["", "049205131", "required", "Укажите номер счёта.", "Enter the account number."],
    [
      "4070281020000000002O",
      "049205131",
      "invalid_characters",
      "Номер счёта должен состоять только из цифр.",
      "The account number must contain digits only.",
    ],
    [
      "4070281020000000002",
      "049205131",
      "invalid_length",
      "Номер счёта должен содержать 20 цифр.",
      "The account number must have 20 digits.",
    ],
    [
      "40702810200000000025",
      "04920513",
      "invalid_bik",
      "Не удалось проверить счёт: сначала исправьте БИК.",
      "The account cannot be checked: fix the BIK first.",
    ],
    [
      "40702810200000000026",
      "049205131",
      "invalid_checksum",
      "Номер счёта не соответствует БИК: проверьте счёт и БИК на опечатки.",
      "The account number does not match the BIK: check both for typos.",
    ],
    [
      // A valid account paired with another bank's BIK.
      "40702810200000000025",
      "044525974",
      "invalid_checksum",
      "Номер счёта не соответствует БИК: проверьте счёт и БИК на опечатки.",
      "The account number does not match the BIK: check both for typos.",
    ],
  ])("refuses %j with BIK %j (%s)", (account, bik, code, ru, en) => {
    expect(validateAccount(account, bik)).toEqual({ ok: false, code, message: { ru, en } });
  });

  it("withAccountControlKey reproduces the published keys", () => {
    expect(withAccountControlKey("049205131", "40702810000000000025")).toBe("40702810200000000025");
    expect(withAccountControlKey("044525974", "4081781000003869535")).toBe("40817810400003869535");
    expect(() => withAccountControlKey("04920513", "40702810200000000025")).toThrow(RangeError);
    expect(() => withAccountControlKey("049205131", "407028102")).toThrow(RangeError);
  });

  it("random accounts with a computed key pass; any single-digit typo is caught", () => {
    const rand = mulberry32(131);
    for (let i = 0; i < 1_000; i++) {
      const bik = `04${randomDigits(rand, 7)}`;
      const account = withAccountControlKey(bik, randomDigits(rand, 19));
      expect(validateAccount(account, bik)).toEqual({ ok: true, value: account });
      // Weights 7, 1, 3 are all coprime with 10, so every single-digit change breaks the sum.
      const pos = Math.floor(rand() * 20);
      const delta = 1 + Math.floor(rand() * 9);
      expect(validateAccount(changeDigit(account, pos, delta), bik)).toMatchObject({
        ok: false,
        code: "invalid_checksum",
      });
    }
  });
});

describe("maskAccount", () => {
  it.each([
    ["40702810200000000025", "40702***0025"],
    ["40817810400003869535", "40817***9535"],
    ["4070 2810 2000 0000 0025", "40702***0025"],
    ["12345", "***2345"],
    ["", "***"],
  ])("%j → %j", (account, masked) => {
    expect(maskAccount(account)).toBe(masked);
  });
});

describe("validateRecipientName", () => {
  it.each([
    ["Иванов Иван Иванович", "Иванов Иван Иванович"],
    ["Ivanov Ivan Ivanovich", "Ivanov Ivan Ivanovich"],
    ["  Иванов   Иван\u00A0Иванович  ", "Иванов Иван Иванович"],
    ["Салтыков-Щедрин Михаил Евграфович", "Салтыков-Щедрин Михаил Евграфович"],
    ["Sean O'Brien", "Sean O'Brien"],
    ["Sean O\u2019Brien", "Sean O'Brien"],
    ["Ли Ю", "Ли Ю"],
    ["А Б", "А Б"], // the 3-character minimum
    ["Мария-Анна Ёлкина", "Мария-Анна Ёлкина"],
    ["Оглы Мамедов Али Ахмед", "Оглы Мамедов Али Ахмед"],
    ["Ivanov Иван", "Ivanov Иван"], // scripts may differ between words, not within one
  ])("accepts %j as %j", (input, value) => {
    expect(validateRecipientName(input)).toEqual({ ok: true, value });
  });

  const CHARS = [
    "ФИО может содержать только буквы, пробелы, дефис и апостроф.",
    "The name may contain only letters, spaces, hyphens and apostrophes.",
  ] as const;
  const FEW = [
    "Укажите фамилию и имя (и отчество, если есть), как в паспорте.",
    "Enter the surname and given name (and patronymic, if any) as in the passport.",
  ] as const;

  it.each<[string, RuBankingErrorCode, string, string]>([
    ["", "required", "Укажите ФИО получателя.", "Enter the recipient's full name."],
    ["   ", "required", "Укажите ФИО получателя.", "Enter the recipient's full name."],
    ["Иванов Иван 2", "invalid_characters", ...CHARS],
    ["Иванов Иван 😀", "invalid_characters", ...CHARS],
    ["Иванов И. И.", "invalid_characters", ...CHARS],
    ["José Müller", "invalid_characters", ...CHARS],
    ["Иванов", "too_few_words", ...FEW],
    ["Ivanov", "too_few_words", ...FEW],
    // Two words are at least 3 characters ("А Б"), so only a lone short word is "too short".
    ["Ли", "too_short", "ФИО слишком короткое.", "The name is too short."],
    [
      `${"А".repeat(50)} ${"Б".repeat(50)}`,
      "too_long",
      "ФИО не должно быть длиннее 100 символов.",
      "The name must be at most 100 characters.",
    ],
    [
      "Один Два Три Четыре Пять",
      "too_many_words",
      "ФИО должно состоять не более чем из 4 слов.",
      "The name must have at most 4 words.",
    ],
    [
      "Ивaнов Иван", // Latin "a" inside a Cyrillic word
      "mixed_script",
      "В слове «Ивaнов» смешаны русские и латинские буквы — наберите его одной раскладкой.",
      '"Ивaнов" mixes Cyrillic and Latin letters — type it in one keyboard layout.',
    ],
    [
      "-Иванов Иван",
      "invalid_word",
      "«-Иванов»: дефис и апостроф допустимы только между буквами.",
      '"-Иванов": hyphens and apostrophes are allowed only between letters.',
    ],
    [
      "Салтыков--Щедрин Михаил",
      "invalid_word",
      "«Салтыков--Щедрин»: дефис и апостроф допустимы только между буквами.",
      '"Салтыков--Щедрин": hyphens and apostrophes are allowed only between letters.',
    ],
    [
      "O' Brien",
      "invalid_word",
      "«O'»: дефис и апостроф допустимы только между буквами.",
      "\"O'\": hyphens and apostrophes are allowed only between letters.",
    ],
  ])("refuses %j (%s)", (input, code, ru, en) => {
    expect(validateRecipientName(input)).toEqual({ ok: false, code, message: { ru, en } });
  });

  it("accepts exactly 100 characters and refuses 101", () => {
    const name100 = `${"А".repeat(49)} ${"Б".repeat(50)}`;
    expect(name100).toHaveLength(100);
    expect(validateRecipientName(name100)).toEqual({ ok: true, value: name100 });
    expect(validateRecipientName(`${name100}В`)).toMatchObject({ ok: false, code: "too_long" });
  });
});

describe("zod wrappers", () => {
  it("return the normalised value", () => {
    expect(innSchema.parse(" 7707 083 893 ")).toBe("7707083893");
    expect(bikSchema.parse("049 205 131")).toBe("049205131");
    expect(recipientNameSchema.parse("  Иванов  Иван ")).toBe("Иванов Иван");
  });

  it("report the Russian reason as the message, with the code and English text in params", () => {
    const issue = innSchema.safeParse("7707083894").error?.issues[0];
    expect(issue).toMatchObject({
      code: "custom",
      message: "ИНН введён с ошибкой: не сходится контрольное число.",
      params: { code: "invalid_checksum", en: "The INN has a typo: its check digit does not match." },
      path: [],
    });
    expect(bikSchema.safeParse("144525225").error?.issues[0]?.message).toBe("БИК российского банка начинается с 04.");
    expect(recipientNameSchema.safeParse("Иванов").error?.issues[0]).toMatchObject({ params: { code: "too_few_words" } });
  });

  it("accountWithBikSchema reports an account problem on the account path", () => {
    expect(accountWithBikSchema.parse({ bik: "049205131", account: "4070 2810 2000 0000 0025" })).toEqual({
      bik: "049205131",
      account: "40702810200000000025",
    });
    const issues = accountWithBikSchema.safeParse({ bik: "049205131", account: "40702810200000000026" }).error?.issues;
    expect(issues).toHaveLength(1);
    expect(issues?.[0]).toMatchObject({
      path: ["account"],
      message: "Номер счёта не соответствует БИК: проверьте счёт и БИК на опечатки.",
      params: { code: "invalid_checksum" },
    });
  });

  it("accountWithBikSchema reports a bad BIK once, on the bik path", () => {
    const issues = accountWithBikSchema.safeParse({ bik: "12345", account: "40702810200000000025" }).error?.issues;
    expect(issues).toHaveLength(1);
    expect(issues?.[0]).toMatchObject({ path: ["bik"], message: "БИК должен содержать 9 цифр." });
  });
});
