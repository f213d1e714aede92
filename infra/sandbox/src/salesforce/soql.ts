/**
 * A small, honest SOQL subset: parser, compiler (resolves fields against describe metadata and checks
 * literal types like Salesforce does) and evaluator.
 *
 * Supported:
 *   SELECT field, Relationship.Field, …  |  SELECT COUNT()  |  SELECT FIELDS(ALL|STANDARD|CUSTOM)
 *   FROM sObject
 *   WHERE  =, !=, <>, <, <=, >, >=, LIKE, IN (…), NOT IN (…), NOT, AND, OR, parentheses
 *          literals: 'strings', numbers, TRUE/FALSE, NULL, 2024-01-31, 2024-01-31T10:00:00Z (or ±hh:mm),
 *          TODAY, YESTERDAY, TOMORROW, LAST_N_DAYS:n, NEXT_N_DAYS:n
 *   ORDER BY path [ASC|DESC] [NULLS FIRST|LAST], …
 *   LIMIT n   OFFSET n (≤ 2000)
 *
 * Rejected with MALFORMED_QUERY (valid SOQL the sandbox does not implement — the message says so):
 * sub-queries and semi-joins, aggregate functions other than COUNT(), GROUP BY/HAVING, TYPEOF,
 * WITH, USING SCOPE, FOR VIEW/REFERENCE/UPDATE, INCLUDES/EXCLUDES, object aliases, toLabel()/FORMAT()/
 * convertCurrency(), other date literals (THIS_MONTH, LAST_QUARTER…).
 * Rejected like Salesforce does: syntax errors (MALFORMED_QUERY), mixing AND and OR without
 * parentheses (MALFORMED_QUERY), unknown objects (INVALID_TYPE), unknown fields/relationships and
 * literals of the wrong type (INVALID_FIELD), OFFSET above 2000 (NUMBER_OUTSIDE_VALID_RANGE).
 */
import { type SfField, type SfObjectDef } from './schema';

export type SoqlErrorCode =
  'MALFORMED_QUERY' | 'INVALID_FIELD' | 'INVALID_TYPE' | 'NUMBER_OUTSIDE_VALID_RANGE';

export class SoqlError extends Error {
  constructor(
    readonly errorCode: SoqlErrorCode,
    readonly detail: string,
    readonly pos: number | undefined,
    readonly soql: string,
  ) {
    super(formatSoqlError(soql, pos, detail));
  }
}

/** Salesforce's error layout: the query line, a caret, "ERROR at Row:r:Column:c", then the detail. */
export function formatSoqlError(soql: string, pos: number | undefined, detail: string): string {
  if (pos === undefined) return detail;
  const before = soql.slice(0, pos);
  const row = before.split('\n').length;
  const lineStart = before.lastIndexOf('\n') + 1;
  const col = pos - lineStart + 1;
  const lineEnd = soql.indexOf('\n', pos);
  const line = soql.slice(lineStart, lineEnd === -1 ? undefined : lineEnd);
  return `\n${line}\n${' '.repeat(col - 1)}^\nERROR at Row:${row}:Column:${col}\n${detail}`;
}

// ------------------------------------------------------------------------------------------ tokens

type TokKind = 'ident' | 'string' | 'number' | 'datetime' | 'date' | 'op' | 'punct' | 'eof';
interface Token {
  kind: TokKind;
  text: string;
  value?: string;
  pos: number;
}

/**
 * SOQL accepts Z or ±hh:mm offsets — not the ±hhmm form the REST API *returns* dateTimes in, so a
 * watermark copied verbatim from a record (2025-01-31T10:00:00.000+0000) is a MALFORMED_QUERY.
 */
const DATETIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})(?![\w:])/;
const DATE_RE = /^\d{4}-\d{2}-\d{2}(?![\dT])/;
const BAD_DATETIME_RE = /^\d{4}-\d{2}-\d{2}T[\w:.+-]*/;
const NUMBER_RE = /^[-+]?\d+(\.\d+)?(?![\w])/;
const IDENT_RE = /^[A-Za-z_][A-Za-z0-9_]*/;

function tokenize(soql: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < soql.length) {
    const ch = soql.charAt(i);
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const rest = soql.slice(i);
    if (ch === "'") {
      let j = i + 1;
      let value = '';
      let closed = false;
      while (j < soql.length) {
        const c = soql.charAt(j);
        if (c === '\\') {
          const n = soql.charAt(j + 1);
          const map: Record<string, string> = {
            n: '\n',
            t: '\t',
            r: '\r',
            b: '\b',
            f: '\f',
            "'": "'",
            '"': '"',
            '\\': '\\',
          };
          // \_ and \% stay escaped: they only mean something inside LIKE patterns.
          value += n === '_' || n === '%' ? `\\${n}` : (map[n] ?? n);
          j += 2;
          continue;
        }
        if (c === "'") {
          closed = true;
          break;
        }
        value += c;
        j++;
      }
      if (!closed) throw new SoqlError('MALFORMED_QUERY', 'line 1: unterminated string literal', i, soql);
      out.push({ kind: 'string', text: soql.slice(i, j + 1), value, pos: i });
      i = j + 1;
      continue;
    }
    let m = DATETIME_RE.exec(rest);
    if (m) {
      out.push({ kind: 'datetime', text: m[0], pos: i });
      i += m[0].length;
      continue;
    }
    m = BAD_DATETIME_RE.exec(rest);
    if (m) {
      throw new SoqlError(
        'MALFORMED_QUERY',
        `line 1:${i} no viable alternative at character '${m[0]}'`,
        i,
        soql,
      );
    }
    m = DATE_RE.exec(rest);
    if (m) {
      out.push({ kind: 'date', text: m[0], pos: i });
      i += m[0].length;
      continue;
    }
    const prev = out[out.length - 1];
    const signAllowed = !prev || prev.kind === 'op' || prev.text === '(' || prev.text === ',';
    m = NUMBER_RE.exec(rest);
    if (m && (signAllowed || /^\d/.test(m[0]))) {
      out.push({ kind: 'number', text: m[0], pos: i });
      i += m[0].length;
      continue;
    }
    m = IDENT_RE.exec(rest);
    if (m) {
      out.push({ kind: 'ident', text: m[0], pos: i });
      i += m[0].length;
      continue;
    }
    const two = rest.slice(0, 2);
    if (two === '!=' || two === '<>' || two === '<=' || two === '>=') {
      out.push({ kind: 'op', text: two, pos: i });
      i += 2;
      continue;
    }
    if (ch === '=' || ch === '<' || ch === '>') {
      out.push({ kind: 'op', text: ch, pos: i });
      i++;
      continue;
    }
    if ('(),.:'.includes(ch)) {
      out.push({ kind: 'punct', text: ch, pos: i });
      i++;
      continue;
    }
    throw new SoqlError('MALFORMED_QUERY', `line 1:${i} no viable alternative at character '${ch}'`, i, soql);
  }
  out.push({ kind: 'eof', text: '<EOF>', pos: soql.length });
  return out;
}

// ------------------------------------------------------------------------------------------ AST

export type Literal =
  | { kind: 'string'; value: string; pos: number }
  | { kind: 'number'; value: number; pos: number }
  | { kind: 'boolean'; value: boolean; pos: number }
  | { kind: 'null'; pos: number }
  | { kind: 'datetime'; ms: number; pos: number }
  | { kind: 'date'; value: string; pos: number }
  | { kind: 'dateLiteral'; name: string; n: number; pos: number };

export interface PathRef {
  parts: string[];
  pos: number;
}

export type Condition =
  | { kind: 'and' | 'or'; items: Condition[] }
  | { kind: 'not'; item: Condition }
  | { kind: 'cmp'; path: PathRef; op: '=' | '!=' | '<' | '<=' | '>' | '>='; value: Literal }
  | { kind: 'in'; path: PathRef; negated: boolean; values: Literal[] }
  | { kind: 'like'; path: PathRef; pattern: Literal };

export type SelectItem =
  | { kind: 'field'; path: PathRef }
  | { kind: 'count'; pos: number }
  | { kind: 'fields'; which: 'ALL' | 'STANDARD' | 'CUSTOM'; pos: number };

export interface SoqlAst {
  soql: string;
  select: SelectItem[];
  from: { name: string; pos: number };
  where?: Condition;
  orderBy: Array<{ path: PathRef; dir: 'ASC' | 'DESC'; nulls: 'FIRST' | 'LAST' }>;
  limit?: number;
  offset?: { value: number; pos: number };
}

const DATE_LITERALS_N = ['LAST_N_DAYS', 'NEXT_N_DAYS'];
const DATE_LITERALS = ['TODAY', 'YESTERDAY', 'TOMORROW'];
const UNSUPPORTED_DATE_LITERALS = [
  'LAST_WEEK',
  'THIS_WEEK',
  'NEXT_WEEK',
  'LAST_MONTH',
  'THIS_MONTH',
  'NEXT_MONTH',
  'LAST_90_DAYS',
  'NEXT_90_DAYS',
  'THIS_QUARTER',
  'LAST_QUARTER',
  'NEXT_QUARTER',
  'THIS_YEAR',
  'LAST_YEAR',
  'NEXT_YEAR',
  'THIS_FISCAL_QUARTER',
  'LAST_FISCAL_QUARTER',
  'NEXT_FISCAL_QUARTER',
  'THIS_FISCAL_YEAR',
  'LAST_FISCAL_YEAR',
  'NEXT_FISCAL_YEAR',
  'N_DAYS_AGO',
  'LAST_N_WEEKS',
  'NEXT_N_WEEKS',
  'LAST_N_MONTHS',
  'NEXT_N_MONTHS',
  'LAST_N_QUARTERS',
  'NEXT_N_QUARTERS',
  'LAST_N_YEARS',
  'NEXT_N_YEARS',
];
const AGGREGATES = [
  'COUNT_DISTINCT',
  'SUM',
  'AVG',
  'MIN',
  'MAX',
  'CALENDAR_YEAR',
  'CALENDAR_MONTH',
  'DAY_ONLY',
  'HOUR_IN_DAY',
];
const SELECT_FUNCTIONS = ['TOLABEL', 'FORMAT', 'CONVERTCURRENCY', 'GROUPING', 'DISTANCE'];
const CLAUSE_KEYWORDS = [
  'WHERE',
  'ORDER',
  'LIMIT',
  'OFFSET',
  'GROUP',
  'HAVING',
  'WITH',
  'USING',
  'FOR',
  'UPDATE',
  'ALL',
];

class Parser {
  private i = 0;
  constructor(
    private readonly soql: string,
    private readonly toks: Token[],
  ) {}

  private get t(): Token {
    return this.toks[this.i] as Token;
  }
  private kind(): TokKind {
    return this.t.kind;
  }
  private peek(n = 1): Token {
    return (this.toks[this.i + n] ?? this.toks[this.toks.length - 1]) as Token;
  }
  private isKw(word: string, tok: Token = this.t): boolean {
    return tok.kind === 'ident' && tok.text.toUpperCase() === word;
  }
  private unexpected(tok: Token = this.t): never {
    throw new SoqlError(
      'MALFORMED_QUERY',
      `unexpected token: ${tok.kind === 'eof' ? '<EOF>' : tok.text}`,
      tok.pos,
      this.soql,
    );
  }
  private unsupported(what: string, tok: Token = this.t): never {
    throw new SoqlError(
      'MALFORMED_QUERY',
      `${what} is valid SOQL but is not supported by the Cairn sandbox's SOQL subset`,
      tok.pos,
      this.soql,
    );
  }
  private expectKw(word: string): Token {
    if (!this.isKw(word)) this.unexpected();
    return this.toks[this.i++] as Token;
  }
  private expectPunct(p: string): Token {
    if (this.kind() !== 'punct' || this.t.text !== p) this.unexpected();
    return this.toks[this.i++] as Token;
  }
  private isPunct(p: string, tok: Token = this.t): boolean {
    return tok.kind === 'punct' && tok.text === p;
  }

  parse(): SoqlAst {
    this.expectKw('SELECT');
    const select = this.selectList();
    this.expectKw('FROM');
    if (this.kind() !== 'ident') this.unexpected();
    const from = { name: this.t.text, pos: this.t.pos };
    this.i++;
    if (this.kind() === 'punct' && this.t.text === '.') this.unexpected();
    if (this.kind() === 'ident' && !CLAUSE_KEYWORDS.includes(this.t.text.toUpperCase())) {
      this.unsupported('An object alias');
    }
    if (this.isKw('USING')) this.unsupported('USING SCOPE');
    const ast: SoqlAst = { soql: this.soql, select, from, orderBy: [] };
    if (this.isKw('WHERE')) {
      this.i++;
      ast.where = this.condition();
    }
    if (this.isKw('WITH')) this.unsupported('WITH');
    if (this.isKw('GROUP')) this.unsupported('GROUP BY');
    if (this.isKw('HAVING')) this.unsupported('HAVING');
    if (this.isKw('ORDER')) {
      this.i++;
      this.expectKw('BY');
      ast.orderBy = this.orderList();
    }
    if (this.isKw('LIMIT')) {
      this.i++;
      if (this.kind() !== 'number' || !/^\d+$/.test(this.t.text)) this.unexpected();
      ast.limit = Number(this.t.text);
      this.i++;
    }
    if (this.isKw('OFFSET')) {
      this.i++;
      if (this.kind() !== 'number' || !/^\d+$/.test(this.t.text)) this.unexpected();
      ast.offset = { value: Number(this.t.text), pos: this.t.pos };
      this.i++;
    }
    if (this.isKw('FOR')) this.unsupported('FOR VIEW/REFERENCE/UPDATE');
    if (this.isKw('UPDATE')) this.unsupported('UPDATE TRACKING/VIEWSTAT');
    if (this.isKw('ALL') && this.isKw('ROWS', this.peek())) {
      throw new SoqlError('MALFORMED_QUERY', 'ALL ROWS not allowed in this context', this.t.pos, this.soql);
    }
    if (this.kind() !== 'eof') this.unexpected();
    return ast;
  }

  private selectList(): SelectItem[] {
    const items: SelectItem[] = [];
    for (;;) {
      const tok = this.t;
      if (this.isPunct('(')) this.unsupported('A relationship sub-query');
      if (this.isKw('TYPEOF')) this.unsupported('TYPEOF');
      if (tok.kind === 'ident' && this.isPunct('(', this.peek())) {
        const fn = tok.text.toUpperCase();
        if (fn === 'COUNT') {
          this.i += 2;
          if (!this.isPunct(')')) this.unsupported('COUNT(field) (an aggregate query)', tok);
          this.i++;
          items.push({ kind: 'count', pos: tok.pos });
        } else if (fn === 'FIELDS') {
          this.i += 2;
          const which = this.t.text.toUpperCase();
          if (which !== 'ALL' && which !== 'STANDARD' && which !== 'CUSTOM') this.unexpected();
          this.i++;
          this.expectPunct(')');
          items.push({ kind: 'fields', which, pos: tok.pos });
        } else if (AGGREGATES.includes(fn)) {
          this.unsupported(`The aggregate function ${tok.text}()`, tok);
        } else if (SELECT_FUNCTIONS.includes(fn)) {
          this.unsupported(`${tok.text}()`, tok);
        } else {
          throw new SoqlError('MALFORMED_QUERY', `Unknown function ${tok.text}`, tok.pos, this.soql);
        }
      } else if (tok.kind === 'ident' && !this.isKw('FROM')) {
        items.push({ kind: 'field', path: this.path() });
        if (this.kind() === 'ident' && !this.isKw('FROM')) this.unsupported('A field alias');
      } else {
        this.unexpected();
      }
      if (this.isPunct(',')) {
        this.i++;
        continue;
      }
      break;
    }
    if (items.some((s) => s.kind === 'count') && items.length > 1) {
      const count = items.find((s) => s.kind === 'count') as { pos: number };
      throw new SoqlError(
        'MALFORMED_QUERY',
        'COUNT() must be the only element in the SELECT list.',
        count.pos,
        this.soql,
      );
    }
    return items;
  }

  private path(): PathRef {
    const start = this.t;
    if (start.kind !== 'ident') this.unexpected();
    const parts = [start.text];
    this.i++;
    while (this.isPunct('.')) {
      this.i++;
      if (this.kind() !== 'ident') this.unexpected();
      parts.push(this.t.text);
      this.i++;
    }
    return { parts, pos: start.pos };
  }

  private condition(): Condition {
    const first = this.unary();
    let connector: 'AND' | 'OR' | undefined;
    const items = [first];
    while (this.isKw('AND') || this.isKw('OR')) {
      const word = this.t.text.toUpperCase() as 'AND' | 'OR';
      if (connector && connector !== word) this.unexpected();
      connector = word;
      this.i++;
      items.push(this.unary());
    }
    if (!connector) return first;
    return { kind: connector === 'AND' ? 'and' : 'or', items };
  }

  private unary(): Condition {
    if (this.isKw('NOT')) {
      this.i++;
      return { kind: 'not', item: this.unary() };
    }
    if (this.isPunct('(')) {
      this.i++;
      const c = this.condition();
      this.expectPunct(')');
      return c;
    }
    return this.simple();
  }

  private simple(): Condition {
    if (this.kind() !== 'ident') this.unexpected();
    if (this.isPunct('(', this.peek())) this.unsupported(`The function ${this.t.text}() in WHERE`);
    const path = this.path();
    if (this.isKw('NOT') && this.isKw('IN', this.peek())) {
      this.i += 2;
      return { kind: 'in', path, negated: true, values: this.literalList() };
    }
    if (this.isKw('IN')) {
      this.i++;
      return { kind: 'in', path, negated: false, values: this.literalList() };
    }
    if (this.isKw('LIKE')) {
      this.i++;
      return { kind: 'like', path, pattern: this.literal() };
    }
    if (this.isKw('INCLUDES') || this.isKw('EXCLUDES')) this.unsupported('INCLUDES/EXCLUDES');
    if (this.kind() !== 'op') this.unexpected();
    const raw = this.t.text;
    this.i++;
    const op = (raw === '<>' ? '!=' : raw) as '=' | '!=' | '<' | '<=' | '>' | '>=';
    return { kind: 'cmp', path, op, value: this.literal() };
  }

  private literalList(): Literal[] {
    this.expectPunct('(');
    if (this.isKw('SELECT')) this.unsupported('A semi-join sub-query');
    const values = [this.literal()];
    while (this.isPunct(',')) {
      this.i++;
      values.push(this.literal());
    }
    this.expectPunct(')');
    return values;
  }

  private literal(): Literal {
    const tok = this.t;
    this.i++;
    switch (tok.kind) {
      case 'string':
        return { kind: 'string', value: tok.value ?? '', pos: tok.pos };
      case 'number':
        return { kind: 'number', value: Number(tok.text), pos: tok.pos };
      case 'datetime': {
        const ms = Date.parse(tok.text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
        if (Number.isNaN(ms))
          throw new SoqlError('MALFORMED_QUERY', `invalid date/time: ${tok.text}`, tok.pos, this.soql);
        return { kind: 'datetime', ms, pos: tok.pos };
      }
      case 'date':
        if (Number.isNaN(Date.parse(`${tok.text}T00:00:00Z`))) {
          throw new SoqlError('MALFORMED_QUERY', `invalid date: ${tok.text}`, tok.pos, this.soql);
        }
        return { kind: 'date', value: tok.text, pos: tok.pos };
      case 'ident': {
        const word = tok.text.toUpperCase();
        if (word === 'TRUE' || word === 'FALSE')
          return { kind: 'boolean', value: word === 'TRUE', pos: tok.pos };
        if (word === 'NULL') return { kind: 'null', pos: tok.pos };
        if (DATE_LITERALS.includes(word)) return { kind: 'dateLiteral', name: word, n: 0, pos: tok.pos };
        if (DATE_LITERALS_N.includes(word)) {
          this.expectPunct(':');
          if (this.kind() !== 'number' || !/^\d+$/.test(this.t.text)) this.unexpected();
          const n = Number(this.t.text);
          this.i++;
          return { kind: 'dateLiteral', name: word, n, pos: tok.pos };
        }
        if (UNSUPPORTED_DATE_LITERALS.includes(word)) this.unsupported(`The date literal ${word}`, tok);
        if (word.startsWith(':')) this.unsupported('Apex bind variables', tok);
        return this.unexpected(tok);
      }
      default:
        return this.unexpected(tok);
    }
  }

  private orderList(): SoqlAst['orderBy'] {
    const out: SoqlAst['orderBy'] = [];
    for (;;) {
      if (this.kind() === 'ident' && this.isPunct('(', this.peek()))
        this.unsupported(`ORDER BY ${this.t.text}()`);
      const path = this.path();
      let dir: 'ASC' | 'DESC' = 'ASC';
      if (this.isKw('ASC') || this.isKw('DESC')) {
        dir = this.t.text.toUpperCase() as 'ASC' | 'DESC';
        this.i++;
      }
      let nulls: 'FIRST' | 'LAST' = dir === 'ASC' ? 'FIRST' : 'LAST';
      if (this.isKw('NULLS')) {
        this.i++;
        if (!this.isKw('FIRST') && !this.isKw('LAST')) this.unexpected();
        nulls = this.t.text.toUpperCase() as 'FIRST' | 'LAST';
        this.i++;
      }
      out.push({ path, dir, nulls });
      if (this.isPunct(',')) {
        this.i++;
        continue;
      }
      return out;
    }
  }
}

export function parseSoql(soql: string): SoqlAst {
  return new Parser(soql, tokenize(soql)).parse();
}

// ------------------------------------------------------------------------------------------ compile

export type SfValue = string | number | boolean | null;

export interface SoqlRecord {
  id: string;
  type: string;
  fields: Record<string, SfValue>;
}

/** What the compiler and evaluator need from the store. */
export interface SoqlSource {
  object(name: string): SfObjectDef | undefined;
  rows(def: SfObjectDef, includeDeleted: boolean): SoqlRecord[];
  byId(id: string): SoqlRecord | undefined;
  now(): number;
}

interface Step {
  field: SfField;
  relationshipName: string;
}

interface ResolvedPath {
  steps: Step[];
  /** Final field name per possible target type (polymorphic relationships may have several). */
  field: SfField;
  /** Canonical relationship names and field name, for output keys. */
  names: string[];
  pos: number;
  text: string;
}

type CCondition =
  | { kind: 'and' | 'or'; items: CCondition[] }
  | { kind: 'not'; item: CCondition }
  | { kind: 'cmp'; path: ResolvedPath; op: '=' | '!=' | '<' | '<=' | '>' | '>='; value: Literal }
  | { kind: 'in'; path: ResolvedPath; negated: boolean; values: Literal[] }
  | { kind: 'like'; path: ResolvedPath; regex: RegExp };

export interface CompiledQuery {
  ast: SoqlAst;
  object: SfObjectDef;
  count: boolean;
  select: ResolvedPath[];
  where?: CCondition;
  orderBy: Array<{ path: ResolvedPath; dir: 'ASC' | 'DESC'; nulls: 'FIRST' | 'LAST' }>;
  limit?: number;
  offset: number;
}

const STRINGY = new Set(['id', 'reference', 'string', 'email', 'phone', 'url', 'textarea', 'picklist']);
const NUMERIC = new Set(['int', 'double', 'currency', 'percent']);

function findField(def: SfObjectDef, name: string): SfField | undefined {
  const exact = def.fields.get(name);
  if (exact) return exact;
  const lower = name.toLowerCase();
  for (const f of def.fields.values()) if (f.name.toLowerCase() === lower) return f;
  return undefined;
}

function findRelationship(def: SfObjectDef, name: string): SfField | undefined {
  const lower = name.toLowerCase();
  for (const f of def.fields.values()) if (f.relationshipName?.toLowerCase() === lower) return f;
  return undefined;
}

export const MAX_OFFSET = 2000;

export function compileSoql(ast: SoqlAst, source: SoqlSource): CompiledQuery {
  const soql = ast.soql;
  const object = source.object(ast.from.name);
  if (!object) {
    throw new SoqlError(
      'INVALID_TYPE',
      `sObject type '${ast.from.name}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
      ast.from.pos,
      soql,
    );
  }
  const resolve = (ref: PathRef): ResolvedPath => {
    let defs: SfObjectDef[] = [object];
    const steps: Step[] = [];
    const names: string[] = [];
    for (let k = 0; k < ref.parts.length - 1; k++) {
      const part = ref.parts[k] as string;
      // a leading "Contact." on a Contact query is allowed (object-qualified field)
      if (
        k === 0 &&
        part.toLowerCase() === object.name.toLowerCase() &&
        ref.parts.length > 1 &&
        steps.length === 0
      ) {
        const rel = defs.map((d) => findRelationship(d, part)).find(Boolean);
        if (!rel) continue;
      }
      const rel = defs.map((d) => findRelationship(d, part)).find(Boolean);
      if (!rel) {
        throw new SoqlError(
          'INVALID_FIELD',
          `Didn't understand relationship '${part}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
          ref.pos,
          soql,
        );
      }
      steps.push({ field: rel, relationshipName: rel.relationshipName as string });
      names.push(rel.relationshipName as string);
      defs = rel.referenceTo.map((t) => source.object(t)).filter((d): d is SfObjectDef => d !== undefined);
    }
    const last = ref.parts[ref.parts.length - 1] as string;
    const field = defs.map((d) => findField(d, last)).find(Boolean);
    if (!field) {
      const entity = steps.length ? (defs[0]?.name ?? object.name) : object.name;
      throw new SoqlError(
        'INVALID_FIELD',
        `No such column '${last}' on entity '${entity}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
        ref.pos,
        soql,
      );
    }
    names.push(field.name);
    return { steps, field, names, pos: ref.pos, text: ref.parts.join('.') };
  };

  const select: ResolvedPath[] = [];
  let count = false;
  let limitRequired = false;
  for (const item of ast.select) {
    if (item.kind === 'count') count = true;
    else if (item.kind === 'field') select.push(resolve(item.path));
    else {
      if (item.which !== 'STANDARD') limitRequired = true;
      for (const f of object.fields.values()) {
        if (item.which === 'ALL' || (item.which === 'CUSTOM') === f.custom) {
          select.push({ steps: [], field: f, names: [f.name], pos: item.pos, text: f.name });
        }
      }
    }
  }
  if (limitRequired && (ast.limit === undefined || ast.limit > 200)) {
    throw new SoqlError(
      'MALFORMED_QUERY',
      'The SOQL FIELDS function must have a LIMIT of at most 200',
      ast.select.find((s) => s.kind === 'fields')?.pos,
      soql,
    );
  }
  const seen = new Set<string>();
  for (const s of select) {
    const key = s.names.join('.').toLowerCase();
    if (seen.has(key) && !ast.select.some((i) => i.kind === 'fields')) {
      throw new SoqlError('MALFORMED_QUERY', `duplicate field selected: ${s.text}`, s.pos, soql);
    }
    seen.add(key);
  }

  const filterable = (p: ResolvedPath): void => {
    if (p.field.type === 'textarea' && p.field.length > 255) {
      throw new SoqlError(
        'INVALID_FIELD',
        `field '${p.field.name}' can not be filtered in a query call`,
        p.pos,
        soql,
      );
    }
  };
  const typeName = (f: SfField): string =>
    f.type === 'datetime'
      ? 'dateTime'
      : f.type === 'date'
        ? 'date'
        : f.type === 'boolean'
          ? 'boolean'
          : NUMERIC.has(f.type)
            ? 'double'
            : f.type === 'id' || f.type === 'reference'
              ? 'id'
              : 'string';
  const checkLiteral = (p: ResolvedPath, lit: Literal, op?: string): void => {
    const f = p.field;
    if (lit.kind === 'null') {
      if (op && op !== '=' && op !== '!=') {
        throw new SoqlError('MALFORMED_QUERY', `invalid operator for null: ${op}`, lit.pos, soql);
      }
      return;
    }
    const quoted = STRINGY.has(f.type);
    const ok =
      (quoted && lit.kind === 'string') ||
      (f.type === 'boolean' && lit.kind === 'boolean') ||
      (NUMERIC.has(f.type) && lit.kind === 'number') ||
      (f.type === 'date' && (lit.kind === 'date' || lit.kind === 'dateLiteral')) ||
      (f.type === 'datetime' && (lit.kind === 'datetime' || lit.kind === 'dateLiteral'));
    if (!ok) {
      throw new SoqlError(
        'INVALID_FIELD',
        `value of filter criterion for field '${f.name}' must be of type ${typeName(f)} and should ${quoted ? '' : 'not '}be enclosed in quotes`,
        lit.pos,
        soql,
      );
    }
    if (f.type === 'boolean' && op && op !== '=' && op !== '!=') {
      throw new SoqlError('INVALID_FIELD', `invalid operator on boolean field: ${f.name}`, lit.pos, soql);
    }
  };

  const compileCond = (c: Condition): CCondition => {
    switch (c.kind) {
      case 'and':
      case 'or':
        return { kind: c.kind, items: c.items.map(compileCond) };
      case 'not':
        return { kind: 'not', item: compileCond(c.item) };
      case 'cmp': {
        const path = resolve(c.path);
        filterable(path);
        checkLiteral(path, c.value, c.op);
        return { kind: 'cmp', path, op: c.op, value: c.value };
      }
      case 'in': {
        const path = resolve(c.path);
        filterable(path);
        for (const v of c.values) checkLiteral(path, v);
        return { kind: 'in', path, negated: c.negated, values: c.values };
      }
      case 'like': {
        const path = resolve(c.path);
        filterable(path);
        if (!STRINGY.has(path.field.type) || path.field.type === 'id' || path.field.type === 'reference') {
          throw new SoqlError(
            'INVALID_FIELD',
            `invalid operator on ${path.field.type} field: ${path.field.name}`,
            c.pattern.pos,
            soql,
          );
        }
        if (c.pattern.kind !== 'string') {
          throw new SoqlError('MALFORMED_QUERY', 'LIKE needs a quoted pattern', c.pattern.pos, soql);
        }
        return { kind: 'like', path, regex: likeToRegex(c.pattern.value) };
      }
    }
  };

  if (ast.offset && ast.offset.value > MAX_OFFSET) {
    throw new SoqlError(
      'NUMBER_OUTSIDE_VALID_RANGE',
      `Maximum SOQL offset allowed is ${MAX_OFFSET}`,
      ast.offset.pos,
      soql,
    );
  }
  const orderBy = ast.orderBy.map((o) => {
    const path = resolve(o.path);
    if (path.field.type === 'textarea' && path.field.length > 255) {
      throw new SoqlError(
        'INVALID_FIELD',
        `field '${path.field.name}' can not be sorted in a query call`,
        path.pos,
        soql,
      );
    }
    return { path, dir: o.dir, nulls: o.nulls };
  });
  if (count && orderBy.length) {
    throw new SoqlError(
      'MALFORMED_QUERY',
      'ORDER BY is not allowed with COUNT()',
      ast.orderBy[0]?.path.pos,
      soql,
    );
  }
  return {
    ast,
    object,
    count,
    select,
    ...(ast.where ? { where: compileCond(ast.where) } : {}),
    orderBy,
    ...(ast.limit !== undefined ? { limit: ast.limit } : {}),
    offset: ast.offset?.value ?? 0,
  };
}

function likeToRegex(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charAt(i);
    if (c === '\\' && (pattern.charAt(i + 1) === '%' || pattern.charAt(i + 1) === '_')) {
      re += pattern.charAt(i + 1);
      i++;
    } else if (c === '%') re += '.*';
    else if (c === '_') re += '.';
    else re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 'is');
}

// ------------------------------------------------------------------------------------------ evaluate

const DAY = 86_400_000;

/** Salesforce's datetime format: 2024-01-31T10:00:00.000+0000. */
export function sfDateTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

export function parseSfDateTime(v: string): number {
  return Date.parse(v.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
}

function dateRange(lit: Extract<Literal, { kind: 'dateLiteral' }>, now: number): [number, number] {
  const today = Math.floor(now / DAY) * DAY;
  switch (lit.name) {
    case 'TODAY':
      return [today, today + DAY];
    case 'YESTERDAY':
      return [today - DAY, today];
    case 'TOMORROW':
      return [today + DAY, today + 2 * DAY];
    case 'LAST_N_DAYS':
      return [today - lit.n * DAY, today + DAY];
    case 'NEXT_N_DAYS':
      return [today + DAY, today + (lit.n + 1) * DAY];
    default:
      return [today, today + DAY];
  }
}

function resolveValue(source: SoqlSource, rec: SoqlRecord, path: ResolvedPath): SfValue {
  let cur: SoqlRecord | undefined = rec;
  for (const step of path.steps) {
    const ref = cur.fields[step.field.name];
    if (typeof ref !== 'string') return null;
    cur = source.byId(ref);
    if (!cur) return null;
  }
  return cur.fields[path.field.name] ?? null;
}

function toComparable(field: SfField, v: SfValue): number | string | boolean | null {
  if (v === null) return null;
  if (field.type === 'datetime') return parseSfDateTime(String(v));
  if (field.type === 'date') return Date.parse(`${String(v)}T00:00:00Z`);
  if (NUMERIC.has(field.type)) return Number(v);
  if (field.type === 'boolean') return Boolean(v);
  if (field.type === 'id' || field.type === 'reference') return String(v).slice(0, 15);
  return String(v).toLowerCase();
}

function literalComparable(field: SfField, lit: Literal): number | string | boolean | null {
  switch (lit.kind) {
    case 'null':
      return null;
    case 'string':
      return field.type === 'id' || field.type === 'reference'
        ? lit.value.slice(0, 15)
        : lit.value.toLowerCase();
    case 'number':
      return lit.value;
    case 'boolean':
      return lit.value;
    case 'datetime':
      return lit.ms;
    case 'date':
      return Date.parse(`${lit.value}T00:00:00Z`);
    case 'dateLiteral':
      return null;
  }
}

function compare(a: number | string | boolean, b: number | string | boolean): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function evalCmp(
  field: SfField,
  v: number | string | boolean | null,
  op: '=' | '!=' | '<' | '<=' | '>' | '>=',
  lit: Literal,
  now: number,
): boolean {
  if (lit.kind === 'dateLiteral') {
    if (v === null) return op === '!=';
    const [lo, hi] = dateRange(lit, now);
    const n = v as number;
    switch (op) {
      case '=':
        return n >= lo && n < hi;
      case '!=':
        return n < lo || n >= hi;
      case '<':
        return n < lo;
      case '<=':
        return n < hi;
      case '>':
        return n >= hi;
      case '>=':
        return n >= lo;
    }
  }
  const l = literalComparable(field, lit);
  if (l === null) return op === '=' ? v === null : v !== null;
  if (v === null) return op === '!=';
  const c = compare(v, l);
  switch (op) {
    case '=':
      return c === 0;
    case '!=':
      return c !== 0;
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
    case '>':
      return c > 0;
    case '>=':
      return c >= 0;
  }
}

function evalCond(source: SoqlSource, rec: SoqlRecord, c: CCondition, now: number): boolean {
  switch (c.kind) {
    case 'and':
      return c.items.every((i) => evalCond(source, rec, i, now));
    case 'or':
      return c.items.some((i) => evalCond(source, rec, i, now));
    case 'not':
      return !evalCond(source, rec, c.item, now);
    case 'cmp':
      return evalCmp(
        c.path.field,
        toComparable(c.path.field, resolveValue(source, rec, c.path)),
        c.op,
        c.value,
        now,
      );
    case 'in': {
      const v = toComparable(c.path.field, resolveValue(source, rec, c.path));
      const hit = c.values.some((lit) => evalCmp(c.path.field, v, '=', lit, now));
      return c.negated ? !hit : hit;
    }
    case 'like': {
      const v = resolveValue(source, rec, c.path);
      return v !== null && c.regex.test(String(v));
    }
  }
}

export interface QueryOutput {
  totalSize: number;
  records: Array<Record<string, unknown>>;
}

/** Runs a compiled query; `urlPrefix` is `/services/data/vXX.X` for the records' attributes.url. */
export function executeSoql(
  q: CompiledQuery,
  source: SoqlSource,
  options: { includeDeleted: boolean; urlPrefix: string },
): QueryOutput {
  const now = source.now();
  let rows = source.rows(q.object, options.includeDeleted);
  if (q.where) rows = rows.filter((r) => evalCond(source, r, q.where as CCondition, now));
  if (q.count) {
    const n = q.limit !== undefined ? Math.min(q.limit, rows.length) : rows.length;
    return { totalSize: n, records: [] };
  }
  if (q.orderBy.length) {
    const keyed = rows.map((r) => ({
      r,
      keys: q.orderBy.map((o) => toComparable(o.path.field, resolveValue(source, r, o.path))),
    }));
    keyed.sort((a, b) => {
      for (let k = 0; k < q.orderBy.length; k++) {
        const o = q.orderBy[k] as CompiledQuery['orderBy'][number];
        const x = a.keys[k] ?? null;
        const y = b.keys[k] ?? null;
        if (x === null && y === null) continue;
        if (x === null) return o.nulls === 'FIRST' ? -1 : 1;
        if (y === null) return o.nulls === 'FIRST' ? 1 : -1;
        const c = compare(x, y);
        if (c !== 0) return o.dir === 'ASC' ? c : -c;
      }
      return 0;
    });
    rows = keyed.map((k) => k.r);
  }
  rows = rows.slice(q.offset, q.limit !== undefined ? q.offset + q.limit : undefined);
  const records = rows.map((r) => project(source, r, q.select, options.urlPrefix));
  return { totalSize: records.length, records };
}

function attributes(rec: SoqlRecord, urlPrefix: string): Record<string, string> {
  return { type: rec.type, url: `${urlPrefix}/sobjects/${rec.type}/${rec.id}` };
}

function project(
  source: SoqlSource,
  rec: SoqlRecord,
  select: ResolvedPath[],
  urlPrefix: string,
): Record<string, unknown> {
  const out: Record<string, unknown> = { attributes: attributes(rec, urlPrefix) };
  for (const p of select) {
    let target: Record<string, unknown> = out;
    let cur: SoqlRecord | undefined = rec;
    let broken = false;
    for (const step of p.steps) {
      const ref: SfValue | undefined = cur?.fields[step.field.name];
      const next: SoqlRecord | undefined = typeof ref === 'string' ? source.byId(ref) : undefined;
      if (!next) {
        if (!(step.relationshipName in target)) target[step.relationshipName] = null;
        broken = true;
        break;
      }
      let nested = target[step.relationshipName] as Record<string, unknown> | null | undefined;
      if (!nested) {
        nested = { attributes: attributes(next, urlPrefix) };
        target[step.relationshipName] = nested;
      }
      target = nested;
      cur = next;
    }
    if (broken || !cur) continue;
    target[p.field.name] = cur.fields[p.field.name] ?? null;
  }
  return out;
}
