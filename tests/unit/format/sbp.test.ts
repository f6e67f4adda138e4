import { describe, expect, it } from "vitest";
import { formatPhone, maskPersonName, maskPhone } from "@/lib/format/sbp";
import { validateRuPhone } from "@/lib/validation/ru-banking";

describe("SBP phones and names", () => {
  it.each([
    ["+7 (900) 000-00-01", "79000000001"],
    ["89000000001", "79000000001"],
    ["8 900 000 00 01", "79000000001"],
    ["9000000001", "79000000001"],
    ["79000000001", "79000000001"],
  ])("%s is the SBP phone %s", (input, phone) => {
    expect(validateRuPhone(input)).toEqual({ ok: true, value: phone });
  });

  it.each([
    ["", "required"],
    ["+7 900 abc", "invalid_characters"],
    ["12345", "invalid_length"],
    ["+8 900 000 00 01", "invalid_length"],
    ["+1 555 000 00 00 00", "invalid_length"],
  ])("%j is refused (%s)", (input, code) => {
    expect(validateRuPhone(input)).toMatchObject({ ok: false, code });
  });

  it("reads and masks phones", () => {
    expect(formatPhone("79000000001")).toBe("+7 900 000-00-01");
    expect(maskPhone("79000000001")).toBe("+7 900 ***-**-01");
  });

  it("masks a verified name as SBP shows it: given names in full, the surname's initial", () => {
    expect(maskPersonName({ fullName: "Иванов Иван Иванович" })).toBe("Иван Иванович И.");
    expect(maskPersonName({ fullName: "Петров Пётр" })).toBe("Пётр П.");
    expect(maskPersonName({ firstName: "Иван", lastName: "Иванов" })).toBe("Иван И.");
    expect(maskPersonName({ fullName: "Мадонна" })).toBe("М.");
    expect(maskPersonName({})).toBeNull();
  });
});
