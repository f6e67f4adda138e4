import { describe, expect, it } from "vitest";
import { fieldErrorMessage } from "@/lib/i18n/errors";
import { formatKopecks } from "@/lib/money";
import { decodeBatchFile, duplicateReferenceErrors, parseBatchFile } from "@/lib/payouts/batch-csv";

/** Operators' payout files as Excel and people write them: the rows that come out and the errors. */

const MAX = 60_000_000;
const utf8 = (text: string) => new TextEncoder().encode(text);

/** Windows-1251 bytes of a text (Cyrillic А..я and Ёё; everything else here is ASCII). */
function cp1251(text: string): Uint8Array {
  return Uint8Array.from([...text].map((char) => {
    const code = char.codePointAt(0)!;
    if (code < 0x80) return code;
    if (code >= 0x410 && code <= 0x44f) return code - 0x410 + 0xc0;
    if (char === "Ё") return 0xa8;
    if (char === "ё") return 0xb8;
    if (char === "\u00a0") return 0xa0;
    throw new Error(`no cp1251 byte for ${char}`);
  }));
}

const HEADER_RU = "Сумма;ФИО получателя;Email;Назначение;Референс;Способ выплаты";

describe("decoding", () => {
  it("reads UTF-8 with and without a BOM, and Windows-1251 when the bytes are not UTF-8", () => {
    expect(decodeBatchFile(utf8("\uFEFFСумма")).text).toBe("Сумма");
    expect(decodeBatchFile(utf8("Сумма"))).toEqual({ text: "Сумма", encoding: "utf-8" });
    expect(decodeBatchFile(cp1251("Сумма;Ёлкин Пётр"))).toEqual({ text: "Сумма;Ёлкин Пётр", encoding: "windows-1251" });
  });
});

describe("parseBatchFile", () => {
  it("maps Russian headers, `;`, CRLF, NBSP-grouped amounts with a comma and trailing empty lines", () => {
    const file = cp1251(
      `${HEADER_RU}\r\n1\u00a0234,56;Иванов Иван;ivan@example.ru;Оплата по договору;A-1;card_widget\r\n15;Петров Пётр;;Аванс за работу;A-2;карта\r\n;;;;;\r\n\r\n`,
    );
    const parsed = parseBatchFile(file, { maxKopecks: MAX });
    expect(parsed.encoding).toBe("windows-1251");
    expect(parsed.delimiter).toBe(";");
    expect(parsed.errors).toEqual([]);
    expect(parsed.rows).toHaveLength(2);
    expect(parsed.rows[0]!.input).toMatchObject({ amountKopecks: 123_456, recipientName: "Иванов Иван", recipientEmail: "ivan@example.ru", reference: "A-1", method: "card_widget" });
    expect(parsed.rows[1]!.input).toMatchObject({ amountKopecks: 1_500, method: "card_widget" });
  });

  it("reads `,` files with quoted fields (commas and quotes inside), dots in amounts and Excel's =\"…\" text guard", () => {
    const file = utf8(
      `\uFEFFamount,recipient_name,purpose,reference,method\n"1234.50","Smith John","Fee, October ""final""","=""007""",card_widget\n`,
    );
    const parsed = parseBatchFile(file, { maxKopecks: MAX });
    expect(parsed.delimiter).toBe(",");
    expect(parsed.errors).toEqual([]);
    expect(parsed.rows[0]!.input).toMatchObject({ amountKopecks: 123_450, purpose: 'Fee, October "final"', reference: "007" });
  });

  it("reports each bad row with its line, the file's column name and a catalogue-worded reason; good rows pass", () => {
    const file = utf8(
      [
        HEADER_RU,
        "100;Иванов Иван;;Оплата услуг;R1;card_widget",
        "12,345;Иванов Иван;;Оплата услуг;R2;card_widget",
        "100;Иван;;Оплата услуг;R3;card_widget",
        "100;Иванов Иван;not-an-email;Оплата услуг;R4;card_widget",
        "=1+1;Иванов Иван;;Оплата услуг;R5;card_widget",
        "700000;Иванов Иван;;Оплата услуг;R6;card_widget",
        "100;Иванов Иван;;Оплата услуг;R7;card_saved",
        "100;Иванов Иван;;Оплата услуг;R8;telegram",
      ].join("\n"),
    );
    const parsed = parseBatchFile(file, { maxKopecks: MAX });
    const summary = parsed.errors.map((error) => [error.line, error.column, fieldErrorMessage(error)]);
    expect(summary).toEqual([
      [2, "Сумма", "Сумма — рубли с копейками цифрами, например 1 234,56 или 1234.56."],
      [3, "ФИО получателя", "Укажите фамилию и имя (и отчество, если есть), как в паспорте."],
      [4, "Email", "Введите email целиком, например ivan@example.ru, или оставьте поле пустым."],
      [5, "Сумма", "Ячейка с формулой (начинается с «=»): укажите значение."],
      [6, "Сумма", `Сумма больше допустимой: не более ${formatKopecks(MAX)}.`],
      [7, "saved_instrument", "Выберите сохранённую карту получателя."],
      [8, "Способ выплаты", "Выберите один из вариантов."],
    ]);
    expect(parsed.rows.filter((row) => row.input !== null).map((row) => row.line)).toEqual([1]);
  });

  it("names the required columns a header lacks", () => {
    const parsed = parseBatchFile(utf8("amount;purpose\n1;Оплата услуг\n"), { maxKopecks: MAX });
    expect(parsed.missingColumns).toEqual(["recipient_name", "method"]);
    expect(parsed.rows).toEqual([]);
  });

  it("takes a card hash in saved_instrument for card_saved", () => {
    const hash = "ab".repeat(32);
    const parsed = parseBatchFile(utf8(`amount;recipient_name;purpose;method;saved_instrument\n10;Иванов Иван;Оплата услуг;card_saved;${hash}\n`), { maxKopecks: MAX });
    expect(parsed.errors).toEqual([]);
    expect(parsed.rows[0]!.input?.savedInstrument).toEqual({ kind: "card_hash", numberHash: hash });
  });
});

describe("duplicateReferenceErrors", () => {
  it("flags a reference repeated in the file (after its first line) and one that already exists", () => {
    const errors = duplicateReferenceErrors(
      [
        { line: 1, reference: "A" },
        { line: 2, reference: "B" },
        { line: 3, reference: "A" },
        { line: 4, reference: undefined },
      ],
      new Set(["B"]),
    );
    expect(errors.map((error) => [error.line, error.params.rule])).toEqual([
      [2, "duplicate_reference_existing"],
      [3, "duplicate_reference_in_file"],
    ]);
  });
});
