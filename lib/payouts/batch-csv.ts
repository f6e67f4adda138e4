import { parse } from "csv-parse/sync";
import { parseRublesToKopecks } from "../money";
import { issueParams, type ErrorParams } from "./errors";
import { CreatePayoutRequestSchema, type CreatePayoutRequest } from "./schemas";

/**
 * Operators' payout files: bytes → text (UTF-8 with or without BOM, else Windows-1251, as Excel
 * saves "CSV" on a Russian Windows) → records (`;` or `,`, quotes, CRLF, blank lines) → one input per
 * row, validated with the same schema as a single payout. Problems are codes with params, worded by
 * the catalogue (lib/i18n/errors.ts); nothing here is a sentence for the operator.
 */

/** Where a file's header names (English or Russian, any case) point. */
export const BATCH_COLUMNS = {
  amount: ["amount", "сумма", "сумма_руб", "сумма_рублей", "сумма_выплаты"],
  recipient_name: ["recipient_name", "recipient", "name", "фио", "фио_получателя", "получатель", "имя_получателя"],
  email: ["email", "e_mail", "recipient_email", "почта", "электронная_почта", "email_получателя"],
  purpose: ["purpose", "назначение", "назначение_платежа", "назначение_выплаты"],
  reference: ["reference", "ref", "референс", "номер", "внешний_номер", "номер_документа"],
  method: ["method", "способ", "способ_выплаты"],
  saved_instrument: ["saved_instrument", "сохранённый_инструмент", "сохраненный_инструмент", "сохранённая_карта", "сохраненная_карта"],
  sbp_phone: ["sbp_phone", "телефон_сбп", "телефон"],
  source_account: ["source_account", "счёт_списания", "счет_списания"],
  beneficiary_inn: ["beneficiary_inn", "инн_бенефициара"],
  beneficiary_name: ["beneficiary_name", "бенефициар", "наименование_бенефициара"],
} as const;
export type BatchColumn = keyof typeof BATCH_COLUMNS;
const REQUIRED_COLUMNS: BatchColumn[] = ["amount", "recipient_name", "purpose", "method"];

/** The CSV column behind each schema field, so a schema issue names the column the operator sees. */
const FIELD_COLUMN: Record<string, BatchColumn> = {
  amountKopecks: "amount",
  recipientName: "recipient_name",
  recipientEmail: "email",
  purpose: "purpose",
  reference: "reference",
  method: "method",
  savedInstrument: "saved_instrument",
  sbpPhone: "sbp_phone",
  sourceAccount: "source_account",
  beneficiaryInn: "beneficiary_inn",
  beneficiaryName: "beneficiary_name",
};

/** Russian method names people type, besides the API names. */
const METHOD_ALIASES: Record<string, string> = {
  карта: "card_widget",
  "карта (виджет)": "card_widget",
  счёт: "bank_account",
  счет: "bank_account",
  "банковский счёт": "bank_account",
  "банковский счет": "bank_account",
  "сохранённая карта": "card_saved",
  "сохраненная карта": "card_saved",
  рекуррент: "recurrent",
  сбп: "sbp",
};

export interface BatchRowError {
  /** 1 = the first data row (the header is row 0). */
  line: number;
  /** The column as the file names it (or the canonical name when the file has no such column). */
  column: string;
  code: "validation";
  field?: string;
  params: ErrorParams;
}

export interface ParsedBatchRow {
  line: number;
  /** The validated input, or null when the row has errors. */
  input: CreatePayoutRequest | null;
  /** The amount when it parsed (also for rows with other errors). */
  amountKopecks: number | null;
}

export interface ParsedBatchFile {
  encoding: "utf-8" | "windows-1251";
  delimiter: ";" | ",";
  rows: ParsedBatchRow[];
  errors: BatchRowError[];
  /** Required columns the header lacks (then every row is refused). */
  missingColumns: BatchColumn[];
}

/** UTF-8 when the bytes are valid UTF-8 (a BOM is dropped), else Windows-1251. */
export function decodeBatchFile(bytes: Uint8Array): { text: string; encoding: "utf-8" | "windows-1251" } {
  try {
    const text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
    return { text, encoding: "utf-8" };
  } catch {
    return { text: new TextDecoder("windows-1251").decode(bytes), encoding: "windows-1251" };
  }
}

/** `;` (Excel with Russian regional settings) unless the header line has more commas than semicolons. */
function delimiterOf(text: string): ";" | "," {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const count = (char: string) => firstLine.split(char).length - 1;
  return count(",") > count(";") ? "," : ";";
}

const normalizeHeader = (name: string) =>
  name
    .replace(/^\uFEFF/, "")
    .trim()
    .toLowerCase()
    .replace(/[\s\-.]+/g, "_")
    .replace(/[()]/g, "")
    .replace(/_+$/, "");

function columnOf(header: string): BatchColumn | null {
  const name = normalizeHeader(header);
  for (const [column, aliases] of Object.entries(BATCH_COLUMNS) as [BatchColumn, readonly string[]][]) {
    if ((aliases as readonly string[]).includes(name)) return column;
  }
  return null;
}

/**
 * Excel's text guard `="00123"` is the text itself; any other cell starting with `=` is a formula
 * (and a CSV-injection vector when exported again): refused.
 */
function cellValue(raw: string): { value: string } | { formula: true } {
  const value = raw.trim();
  const guarded = /^="(.*)"$/s.exec(value);
  if (guarded) return { value: guarded[1]!.replace(/""/g, '"') };
  if (value.startsWith("=")) return { formula: true };
  return { value };
}

/** The saved_instrument cell: a saved-instrument id (uuid), a card hash (64 hex) or a token. */
function savedInstrumentOf(value: string, method: string): unknown {
  if (value === "") return undefined;
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)) return { kind: "saved", id: value.toLowerCase() };
  if (/^[0-9a-f]{64}$/i.test(value)) return { kind: "card_hash", numberHash: value };
  return { kind: method === "recurrent" ? "recurrent" : "card_token", token: value };
}

const rowError = (line: number, column: string, params: ErrorParams, field?: string): BatchRowError => ({
  line,
  column,
  code: "validation",
  ...(field ? { field } : {}),
  params,
});

/** One row's cells (by canonical column) → the schema's input, with its own problems (amount, formulas). */
function rowInput(line: number, cells: Partial<Record<BatchColumn, string>>, headerOf: (column: BatchColumn) => string) {
  const errors: BatchRowError[] = [];
  const values: Partial<Record<BatchColumn, string>> = {};
  for (const [column, raw] of Object.entries(cells) as [BatchColumn, string][]) {
    const cell = cellValue(raw);
    if ("formula" in cell) errors.push(rowError(line, headerOf(column), { rule: "formula_cell" }, FIELD_COLUMN_FIELD[column]));
    else values[column] = cell.value;
  }
  let amountKopecks: number | null = null;
  if (values.amount !== undefined) {
    const parsed = parseRublesToKopecks(values.amount);
    if (parsed.ok) amountKopecks = parsed.kopecks;
    else errors.push(rowError(line, headerOf("amount"), { rule: "amount_format", reason: parsed.code }, "amountKopecks"));
  }
  const methodText = (values.method ?? "").trim();
  const method = METHOD_ALIASES[methodText.toLowerCase()] ?? methodText.toLowerCase();
  const input: Record<string, unknown> = {
    amountKopecks: amountKopecks ?? undefined,
    recipientName: values.recipient_name ?? "",
    recipientEmail: values.email,
    purpose: values.purpose ?? "",
    reference: values.reference,
    method,
    savedInstrument: savedInstrumentOf(values.saved_instrument ?? "", method),
    sbpPhone: values.sbp_phone === "" ? undefined : values.sbp_phone,
    sourceAccount: values.source_account === "" ? undefined : values.source_account,
    beneficiaryInn: values.beneficiary_inn,
    beneficiaryName: values.beneficiary_name,
  };
  return { input, amountKopecks, errors, amountBroken: values.amount !== undefined && amountKopecks === null };
}

const FIELD_COLUMN_FIELD = Object.fromEntries(Object.entries(FIELD_COLUMN).map(([field, column]) => [column, field])) as Partial<Record<BatchColumn, string>>;

/**
 * Validates rows already split into canonical columns (the file's and the partner API's path):
 * the single-payout schema plus the portal's maximum amount.
 */
export function validateBatchRow(
  line: number,
  input: Record<string, unknown>,
  options: { maxKopecks: number; headerOf?: (column: BatchColumn) => string; skipAmountIssues?: boolean },
): { input: CreatePayoutRequest | null; errors: BatchRowError[] } {
  const headerOf = options.headerOf ?? ((column: BatchColumn) => column);
  const errors: BatchRowError[] = [];
  const parsed = CreatePayoutRequestSchema.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? "");
      if (field === "amountKopecks" && options.skipAmountIssues) continue;
      const column = FIELD_COLUMN[field] ? headerOf(FIELD_COLUMN[field]) : field;
      const params = issueParams(issue);
      const check = (issue as { params?: { code?: unknown } }).params?.code;
      if (typeof check === "string") params.check = check;
      // One message per column is enough for a preview.
      if (!errors.some((error) => error.column === column)) errors.push(rowError(line, column, params, issue.path.join(".") || undefined));
    }
    return { input: null, errors };
  }
  if (parsed.data.amountKopecks > options.maxKopecks) {
    return { input: null, errors: [rowError(line, headerOf("amount"), { issue: "too_big", maximum: options.maxKopecks }, "amountKopecks")] };
  }
  return { input: parsed.data, errors };
}

/** Reads a whole file. Never throws for bad content: every problem is a row error or a missing column. */
export function parseBatchFile(bytes: Uint8Array, options: { maxKopecks: number }): ParsedBatchFile {
  const { text, encoding } = decodeBatchFile(bytes);
  const delimiter = delimiterOf(text);
  let records: string[][];
  try {
    records = parse(text, { delimiter, bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: true, trim: false }) as string[][];
  } catch (error) {
    // An unterminated quote and the like: the file as a whole is unreadable.
    const at = (error as { lines?: number }).lines;
    return { encoding, delimiter, rows: [], errors: [rowError(typeof at === "number" ? Math.max(at - 1, 0) : 0, "", { rule: "csv_unreadable" })], missingColumns: [] };
  }
  // Excel leaves rows of only delimiters below the data.
  records = records.filter((record) => record.some((cell) => cell.trim() !== ""));
  const [header = [], ...data] = records;
  const columns = header.map(columnOf);
  const headerOf = (column: BatchColumn) => {
    const index = columns.indexOf(column);
    return index >= 0 ? header[index]!.replace(/^\uFEFF/, "").trim() : column;
  };
  const missingColumns = REQUIRED_COLUMNS.filter((column) => !columns.includes(column));
  if (missingColumns.length > 0) return { encoding, delimiter, rows: [], errors: [], missingColumns };

  const rows: ParsedBatchRow[] = [];
  const errors: BatchRowError[] = [];
  data.forEach((record, index) => {
    const line = index + 1;
    const cells: Partial<Record<BatchColumn, string>> = {};
    columns.forEach((column, position) => {
      if (column) cells[column] = record[position] ?? "";
    });
    const own = rowInput(line, cells, headerOf);
    const checked = validateBatchRow(line, own.input, { maxKopecks: options.maxKopecks, headerOf, skipAmountIssues: own.amountBroken });
    const rowErrors = [...own.errors, ...checked.errors.filter((error) => !own.errors.some((mine) => mine.column === error.column))];
    errors.push(...rowErrors);
    rows.push({ line, input: rowErrors.length === 0 ? checked.input : null, amountKopecks: own.amountKopecks });
  });
  return { encoding, delimiter, rows, errors, missingColumns };
}

/** Flags references that repeat inside the rows or already belong to payout requests. */
export function duplicateReferenceErrors(
  rows: Array<{ line: number; reference: string | undefined }>,
  existing: ReadonlySet<string>,
  column = "reference",
): BatchRowError[] {
  const firstLine = new Map<string, number>();
  const errors: BatchRowError[] = [];
  for (const { line, reference } of rows) {
    if (!reference) continue;
    const first = firstLine.get(reference);
    if (first !== undefined) errors.push(rowError(line, column, { rule: "duplicate_reference_in_file", firstLine: first }, "reference"));
    else {
      firstLine.set(reference, line);
      if (existing.has(reference)) errors.push(rowError(line, column, { rule: "duplicate_reference_existing" }, "reference"));
    }
  }
  return errors;
}
