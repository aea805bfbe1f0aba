/**
 * The formula language of custom scoring methods (自定义公式), safe by construction.
 *
 * A formula is parsed by our own tokenizer and recursive-descent parser into a small AST and
 * evaluated by walking that AST (or by closures compiled from it). Nothing is ever handed to
 * `eval`, `Function` or any JavaScript lookup: identifiers are resolved through a `Map`, so
 * `constructor`, `__proto__` or `toString` are simply unknown variables.
 *
 * Grammar (lowest precedence first):
 *
 *     expr    := or
 *     or      := and ( ('or' | '||') and )*
 *     and     := not ( ('and' | '&&') not )*
 *     not     := ('not' | '!') not | cmp
 *     cmp     := add ( ('<' | '<=' | '>' | '>=' | '==' | '=' | '!=' | '<>') add )?
 *     add     := mul ( ('+' | '-') mul )*
 *     mul     := unary ( ('*' | '/' | '%') unary )*
 *     unary   := ('-' | '+') unary | pow
 *     pow     := primary ( '^' unary )?          (right-associative; -2^2 = -4)
 *     primary := number | identifier | identifier '(' args ')' | '(' expr ')'
 *
 * Values are numbers only. Comparisons and logic give 1 (true) or 0 (false); a condition is true
 * when it is non-zero. Full-width （ ） ， (Chinese input methods) are accepted as ( ) ,.
 *
 * Functions: `if(cond, a, b)` (only the chosen branch is evaluated), `min(...)`, `max(...)`,
 * `sum(...)`, `avg(...)`, `abs(x)`, `round(x, digits = 0)` (half away from zero, digits 0–10),
 * `ifnull(x, d)` (d when x is missing).
 *
 * Missing values: the engine passes a missing input as NaN. NaN propagates through arithmetic,
 * comparisons, `and`/`or`/`not` and the condition of `if` (an unknown condition gives an unknown
 * result); `ifnull` replaces it. A NaN result means "no score" for the leaf.
 *
 * Division (and `%`) by zero — decision: x / 0 is NaN (a missing value), so `ifnull(a / b, 0)`
 * reads "0 when b is 0". If the final result is not a finite number because of it, the strict
 * evaluator used to test a formula and to explain a score ({@link CompiledFormula.evaluate},
 * {@link traceFormula}) raises a {@link FormulaError} pointing at the dividing operator, and the
 * engine's compiled programs return NaN (the leaf has no score; its explanation names the division).
 * Invalid powers (`0^-1`, `(-8)^0.5`, `10^400`) are treated the same way.
 *
 * Limits: at most {@link FORMULA_LIMITS}.maxLength characters, maxTokens tokens and maxDepth levels
 * of nesting (parentheses, function calls and unary operators). Every error carries a 0-based
 * `position` into the source and a Chinese and an English message; the messages name the position
 * as a 1-based ordinal ("第 13 个字符处：未知变量 abc").
 */

/** NaN and ∞ as module constants: in hot loops V8 boxes doubles that meet the global NaN / Infinity. */
const NAN = Number.NaN;
const INF = Number.POSITIVE_INFINITY;

export const FORMULA_LIMITS = { maxLength: 2000, maxTokens: 1000, maxDepth: 50 } as const;

/** Identifier syntax shared with indicator codes and form field keys. */
export const FORMULA_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

export type FormulaErrorCode =
  | 'TOO_LONG'
  | 'EMPTY'
  | 'TOO_MANY_TOKENS'
  | 'TOO_DEEP'
  | 'BAD_CHAR'
  | 'STRING'
  | 'MEMBER'
  | 'INDEX'
  | 'BAD_NUMBER'
  | 'UNEXPECTED'
  | 'UNEXPECTED_END'
  | 'UNKNOWN_VARIABLE'
  | 'UNKNOWN_FUNCTION'
  | 'NOT_A_FUNCTION'
  | 'ARITY'
  | 'DIV_ZERO'
  | 'NOT_FINITE';

/** A formula problem at a position of the source; safe to show to the user as it is. */
export class FormulaError extends Error {
  readonly code: FormulaErrorCode;
  /** 0-based character offset into the source. */
  readonly position: number;
  /** Chinese message including the position. */
  readonly zh: string;
  /** English message including the position. */
  readonly en: string;

  constructor(code: FormulaErrorCode, position: number, zh: string, en: string) {
    const at = position + 1;
    super(`At character ${at}: ${en}`);
    this.name = 'FormulaError';
    this.code = code;
    this.position = position;
    this.zh = `第 ${at} 个字符处：${zh}`;
    this.en = `At character ${at}: ${en}`;
  }
}

// ---------------------------------------------------------------- tokens

type TokKind = 'num' | 'id' | 'op' | '(' | ')' | ',' | 'end';
type Token = { k: TokKind; v: string; n: number; pos: number };

const OPS2 = new Set(['<=', '>=', '==', '!=', '<>', '&&', '||']);
const OPS1 = new Set(['+', '-', '*', '/', '%', '^', '<', '>', '=', '!']);

function describeChar(ch: string): string {
  const cp = ch.codePointAt(0) ?? 0;
  const hex = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  return cp >= 0x20 && cp !== 0x7f ? `「${ch}」(${hex})` : hex;
}

/** Splits the source into tokens. Throws FormulaError on anything that is not part of the language. */
export function tokenize(src: string): Token[] {
  if (src.length > FORMULA_LIMITS.maxLength) {
    throw new FormulaError(
      'TOO_LONG',
      FORMULA_LIMITS.maxLength,
      `公式长度 ${src.length} 个字符，超过上限 ${FORMULA_LIMITS.maxLength}`,
      `the formula has ${src.length} characters; the limit is ${FORMULA_LIMITS.maxLength}`,
    );
  }
  const out: Token[] = [];
  const push = (t: Token) => {
    if (out.length >= FORMULA_LIMITS.maxTokens) {
      throw new FormulaError(
        'TOO_MANY_TOKENS',
        t.pos,
        `公式过长：超过 ${FORMULA_LIMITS.maxTokens} 个记号`,
        `too many tokens (limit ${FORMULA_LIMITS.maxTokens})`,
      );
    }
    out.push(t);
  };
  let i = 0;
  const n = src.length;
  while (i < n) {
    const c = src[i];
    const code = src.charCodeAt(i);
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\u3000') {
      i++;
      continue;
    }
    if ((code >= 48 && code <= 57) || (c === '.' && /[0-9]/.test(src[i + 1] ?? ''))) {
      const m = /^(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?/.exec(src.slice(i, i + 400));
      const text = m ? m[0] : c;
      const after = src[i + text.length];
      if (after !== undefined && /[A-Za-z_0-9.]/.test(after)) {
        throw new FormulaError(
          'BAD_NUMBER',
          i,
          `数字格式不正确：「${src.slice(i, i + text.length + 1)}」`,
          `malformed number "${src.slice(i, i + text.length + 1)}"`,
        );
      }
      const value = Number(text);
      if (!Number.isFinite(value))
        throw new FormulaError('BAD_NUMBER', i, `数字超出范围：${text}`, `number out of range: ${text}`);
      push({ k: 'num', v: text, n: value, pos: i });
      i += text.length;
      continue;
    }
    if ((code >= 65 && code <= 90) || (code >= 97 && code <= 122) || c === '_') {
      let j = i + 1;
      while (j < n && /[A-Za-z0-9_]/.test(src[j])) j++;
      const word = src.slice(i, j);
      if (word.length > 64)
        throw new FormulaError('UNEXPECTED', i, `名称过长（超过 64 个字符）`, `name too long (over 64 characters)`);
      push({ k: 'id', v: word, n: 0, pos: i });
      i = j;
      if (src[i] === '.')
        throw new FormulaError('MEMBER', i, '不支持成员访问（“.”）', 'member access (".") is not supported');
      continue;
    }
    if (c === '(' || c === '\uff08') {
      push({ k: '(', v: '(', n: 0, pos: i });
      i++;
      continue;
    }
    if (c === ')' || c === '\uff09') {
      push({ k: ')', v: ')', n: 0, pos: i });
      i++;
      continue;
    }
    if (c === ',' || c === '\uff0c') {
      push({ k: ',', v: ',', n: 0, pos: i });
      i++;
      continue;
    }
    const two = src.slice(i, i + 2);
    if (OPS2.has(two)) {
      push({ k: 'op', v: two, n: 0, pos: i });
      i += 2;
      continue;
    }
    if (OPS1.has(c)) {
      push({ k: 'op', v: c, n: 0, pos: i });
      i++;
      continue;
    }
    if (c === '"' || c === "'" || c === '`' || c === '\u201c' || c === '\u2018') {
      throw new FormulaError(
        'STRING',
        i,
        '公式中不能使用字符串，只能使用数字和变量',
        'strings are not supported; use numbers and variables',
      );
    }
    if (c === '[' || c === ']')
      throw new FormulaError('INDEX', i, '不支持下标访问（“[ ]”）', 'indexing ("[ ]") is not supported');
    if (c === '.') throw new FormulaError('MEMBER', i, '不支持成员访问（“.”）', 'member access (".") is not supported');
    const ch = String.fromCodePoint(src.codePointAt(i) ?? code);
    throw new FormulaError(
      'BAD_CHAR',
      i,
      `无法识别的字符 ${describeChar(ch)}`,
      `unexpected character ${describeChar(ch)}`,
    );
  }
  out.push({ k: 'end', v: '', n: 0, pos: n });
  return out;
}

// ---------------------------------------------------------------- AST

export type BinaryOp = '+' | '-' | '*' | '/' | '%' | '^' | '<' | '<=' | '>' | '>=' | '==' | '!=' | 'and' | 'or';
export type FormulaFunction = 'if' | 'min' | 'max' | 'sum' | 'avg' | 'abs' | 'round' | 'ifnull';

export type FormulaNode =
  | { t: 'num'; value: number; pos: number }
  | { t: 'var'; name: string; pos: number }
  | { t: 'neg'; arg: FormulaNode; pos: number }
  | { t: 'not'; arg: FormulaNode; pos: number }
  | { t: 'bin'; op: BinaryOp; left: FormulaNode; right: FormulaNode; pos: number }
  | { t: 'call'; fn: FormulaFunction; args: FormulaNode[]; pos: number };

/** Function name → [min args, max args]. A Map, so only these exact names are functions. */
const FUNCTIONS = new Map<string, readonly [FormulaFunction, number, number]>([
  ['if', ['if', 3, 3]],
  ['min', ['min', 1, 100]],
  ['max', ['max', 1, 100]],
  ['sum', ['sum', 1, 100]],
  ['avg', ['avg', 1, 100]],
  ['abs', ['abs', 1, 1]],
  ['round', ['round', 1, 2]],
  ['ifnull', ['ifnull', 2, 2]],
]);

/** Words with a meaning of their own; they cannot be variable names. */
export const FORMULA_RESERVED = new Set(['and', 'or', 'not', 'true', 'false', ...FUNCTIONS.keys()]);

const CMP_OPS = new Map<string, BinaryOp>([
  ['<', '<'],
  ['<=', '<='],
  ['>', '>'],
  ['>=', '>='],
  ['==', '=='],
  ['=', '=='],
  ['!=', '!='],
  ['<>', '!='],
]);

function tokenText(t: Token): string {
  return t.k === 'end' ? '' : t.v;
}

class Parser {
  private i = 0;
  private depth = 0;
  constructor(private readonly toks: Token[]) {}

  private peek(): Token {
    return this.toks[this.i];
  }
  private next(): Token {
    return this.toks[this.i++];
  }
  private enter(pos: number) {
    if (++this.depth > FORMULA_LIMITS.maxDepth) {
      throw new FormulaError(
        'TOO_DEEP',
        pos,
        `嵌套层数超过上限 ${FORMULA_LIMITS.maxDepth}`,
        `nesting deeper than ${FORMULA_LIMITS.maxDepth} levels`,
      );
    }
  }
  private leave() {
    this.depth--;
  }
  private isWord(t: Token, w: string) {
    return t.k === 'id' && t.v === w;
  }
  private unexpected(t: Token): never {
    if (t.k === 'end')
      throw new FormulaError('UNEXPECTED_END', t.pos, '公式不完整，缺少后续内容', 'the formula ends too early');
    throw new FormulaError('UNEXPECTED', t.pos, `此处不应出现「${tokenText(t)}」`, `unexpected "${tokenText(t)}"`);
  }

  parseAll(): FormulaNode {
    if (this.peek().k === 'end') throw new FormulaError('EMPTY', 0, '公式为空', 'the formula is empty');
    const e = this.expr();
    const t = this.peek();
    if (t.k !== 'end') {
      if (t.k === ')') throw new FormulaError('UNEXPECTED', t.pos, '多余的右括号「)」', 'unmatched ")"');
      this.unexpected(t);
    }
    return e;
  }

  private expr(): FormulaNode {
    let left = this.and();
    for (;;) {
      const t = this.peek();
      if (!(this.isWord(t, 'or') || (t.k === 'op' && t.v === '||'))) return left;
      this.next();
      left = { t: 'bin', op: 'or', left, right: this.and(), pos: t.pos };
    }
  }

  private and(): FormulaNode {
    let left = this.not();
    for (;;) {
      const t = this.peek();
      if (!(this.isWord(t, 'and') || (t.k === 'op' && t.v === '&&'))) return left;
      this.next();
      left = { t: 'bin', op: 'and', left, right: this.not(), pos: t.pos };
    }
  }

  private not(): FormulaNode {
    const t = this.peek();
    if (this.isWord(t, 'not') || (t.k === 'op' && t.v === '!')) {
      this.next();
      this.enter(t.pos);
      const arg = this.not();
      this.leave();
      return { t: 'not', arg, pos: t.pos };
    }
    return this.cmp();
  }

  private cmp(): FormulaNode {
    const left = this.add();
    const t = this.peek();
    const op = t.k === 'op' ? CMP_OPS.get(t.v) : undefined;
    if (!op) return left;
    this.next();
    const right = this.add();
    const t2 = this.peek();
    if (t2.k === 'op' && CMP_OPS.has(t2.v)) {
      throw new FormulaError(
        'UNEXPECTED',
        t2.pos,
        '比较不能连写，请用 and 连接（如 a < b and b < c）',
        'comparisons cannot be chained; join them with "and"',
      );
    }
    return { t: 'bin', op, left, right, pos: t.pos };
  }

  private add(): FormulaNode {
    let left = this.mul();
    for (;;) {
      const t = this.peek();
      if (!(t.k === 'op' && (t.v === '+' || t.v === '-'))) return left;
      this.next();
      left = { t: 'bin', op: t.v as '+' | '-', left, right: this.mul(), pos: t.pos };
    }
  }

  private mul(): FormulaNode {
    let left = this.unary();
    for (;;) {
      const t = this.peek();
      if (!(t.k === 'op' && (t.v === '*' || t.v === '/' || t.v === '%'))) return left;
      this.next();
      left = { t: 'bin', op: t.v as '*' | '/' | '%', left, right: this.unary(), pos: t.pos };
    }
  }

  private unary(): FormulaNode {
    const t = this.peek();
    if (t.k === 'op' && (t.v === '-' || t.v === '+')) {
      this.next();
      this.enter(t.pos);
      const arg = this.unary();
      this.leave();
      return t.v === '-' ? { t: 'neg', arg, pos: t.pos } : arg;
    }
    return this.pow();
  }

  private pow(): FormulaNode {
    const base = this.primary();
    const t = this.peek();
    if (t.k === 'op' && t.v === '^') {
      this.next();
      this.enter(t.pos);
      const exp = this.unary();
      this.leave();
      return { t: 'bin', op: '^', left: base, right: exp, pos: t.pos };
    }
    return base;
  }

  private primary(): FormulaNode {
    const t = this.next();
    switch (t.k) {
      case 'num':
        return { t: 'num', value: t.n, pos: t.pos };
      case '(': {
        this.enter(t.pos);
        const e = this.expr();
        this.leave();
        const close = this.next();
        if (close.k !== ')') {
          if (close.k === 'end')
            throw new FormulaError(
              'UNEXPECTED_END',
              close.pos,
              `缺少右括号「)」（与第 ${t.pos + 1} 个字符处的左括号配对）`,
              `missing ")" for the "(" at character ${t.pos + 1}`,
            );
          this.unexpected(close);
        }
        return e;
      }
      case 'id': {
        if (t.v === 'not' || t.v === 'and' || t.v === 'or') {
          throw new FormulaError(
            'UNEXPECTED',
            t.pos,
            `此处不能直接使用「${t.v}」，请加括号，如 (not x)`,
            `"${t.v}" cannot appear here; add parentheses, e.g. (not x)`,
          );
        }
        if (this.peek().k === '(') return this.call(t);
        if (t.v === 'true') return { t: 'num', value: 1, pos: t.pos };
        if (t.v === 'false') return { t: 'num', value: 0, pos: t.pos };
        if (FUNCTIONS.has(t.v))
          throw new FormulaError(
            'UNEXPECTED',
            t.pos,
            `函数 ${t.v} 后应有括号，如 ${t.v}(…)`,
            `function ${t.v} must be called with parentheses`,
          );
        if (FORMULA_RESERVED.has(t.v)) this.unexpected(t);
        return { t: 'var', name: t.v, pos: t.pos };
      }
      case 'op':
      case ')':
      case ',':
      case 'end':
        return this.unexpected(t);
    }
  }

  private call(name: Token): FormulaNode {
    const def = FUNCTIONS.get(name.v);
    if (!def) {
      throw new FormulaError(
        'UNKNOWN_FUNCTION',
        name.pos,
        `未知函数 ${name.v}（可用：if、min、max、sum、avg、abs、round、ifnull）`,
        `unknown function ${name.v} (available: if, min, max, sum, avg, abs, round, ifnull)`,
      );
    }
    const open = this.next();
    this.enter(open.pos);
    const args: FormulaNode[] = [];
    if (this.peek().k !== ')') {
      for (;;) {
        args.push(this.expr());
        const sep = this.peek();
        if (sep.k === ',') {
          this.next();
          continue;
        }
        if (sep.k === ')') break;
        if (sep.k === 'end')
          throw new FormulaError(
            'UNEXPECTED_END',
            sep.pos,
            `缺少右括号「)」（函数 ${name.v}）`,
            `missing ")" to close ${name.v}(`,
          );
        this.unexpected(sep);
      }
    }
    this.next();
    this.leave();
    const [fn, min, max] = def;
    if (args.length < min || args.length > max) {
      const want = min === max ? `${min}` : max >= 100 ? `至少 ${min}` : `${min}–${max}`;
      const wantEn = min === max ? `${min}` : max >= 100 ? `at least ${min}` : `${min}–${max}`;
      throw new FormulaError(
        'ARITY',
        name.pos,
        `函数 ${name.v} 需要 ${want} 个参数，实际 ${args.length} 个`,
        `${name.v} takes ${wantEn} argument(s), got ${args.length}`,
      );
    }
    return { t: 'call', fn, args, pos: name.pos };
  }
}

/** Parses a formula into its AST. Throws FormulaError. */
export function parseFormula(src: string): FormulaNode {
  if (typeof src !== 'string') throw new FormulaError('EMPTY', 0, '公式必须是文本', 'the formula must be a string');
  return new Parser(tokenize(src)).parseAll();
}

/** Calls `visit` on each variable reference of a formula, in the order they are written. */
function eachVariable(n: FormulaNode, visit: (v: Extract<FormulaNode, { t: 'var' }>) => void): void {
  switch (n.t) {
    case 'num':
      return;
    case 'var':
      visit(n);
      return;
    case 'neg':
    case 'not':
      eachVariable(n.arg, visit);
      return;
    case 'bin':
      eachVariable(n.left, visit);
      eachVariable(n.right, visit);
      return;
    case 'call':
      for (const a of n.args) eachVariable(a, visit);
      return;
  }
}

/** Names of the variables a formula refers to, in order of first appearance. */
export function formulaVariables(ast: FormulaNode): string[] {
  const seen = new Set<string>();
  eachVariable(ast, (v) => seen.add(v.name));
  return [...seen];
}

function firstPositionOf(ast: FormulaNode, name: string): number {
  let found = -1;
  eachVariable(ast, (v) => {
    if (found < 0 && v.name === name) found = v.pos;
  });
  return Math.max(0, found);
}

// ---------------------------------------------------------------- shared arithmetic

const truth = (x: number): number => (x !== x ? NAN : x !== 0 ? 1 : 0);
const bool = (b: boolean): number => (b ? 1 : 0);

/** Rounds half away from zero to `digits` decimals (0–10). */
export function roundHalfAway(x: number, digits = 0): number {
  if (x !== x || !Number.isFinite(x)) return x;
  const d = Math.max(0, Math.min(10, Math.trunc(digits)));
  const f = 10 ** d;
  const r = Math.round(Math.abs(x) * f * (1 + 2 * Number.EPSILON)) / f;
  return x < 0 ? -r : r;
}

function cmpOp(op: BinaryOp, a: number, b: number): number {
  if (a !== a || b !== b) return NAN;
  switch (op) {
    case '<':
      return bool(a < b);
    case '<=':
      return bool(a <= b);
    case '>':
      return bool(a > b);
    case '>=':
      return bool(a >= b);
    case '==':
      return bool(Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b)));
    case '!=':
      return bool(!(Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b))));
    default:
      return NAN;
  }
}

function aggregateFn(fn: 'min' | 'max' | 'sum' | 'avg', xs: number[]): number {
  let acc = fn === 'min' ? INF : fn === 'max' ? -INF : 0;
  for (const x of xs) {
    if (x !== x) return NAN;
    if (fn === 'min') acc = x < acc ? x : acc;
    else if (fn === 'max') acc = x > acc ? x : acc;
    else acc += x;
  }
  return fn === 'avg' ? acc / xs.length : acc;
}

// ---------------------------------------------------------------- strict evaluation (with positions)

/** Variable lookup for the strict evaluator: a Map (never a plain object). */
export type FormulaVariables = ReadonlyMap<string, number>;

function unknownVariable(name: string, pos: number): FormulaError {
  return new FormulaError('UNKNOWN_VARIABLE', pos, `未知变量 ${name}`, `unknown variable ${name}`);
}

/** Where the strict evaluator notes the first problem that made a value invalid. */
type StrictCtx = { problem: FormulaError | null };

/**
 * Strict evaluation computes exactly what the fast closures compute (x / 0 is NaN, powers may be ±∞,
 * so `ifnull(a / b, 0)` works the same in both) but notes where a value first went bad, so that an
 * invalid final result can be reported with its position.
 */
function strictEval(n: FormulaNode, vars: FormulaVariables, ctx: StrictCtx): number {
  switch (n.t) {
    case 'num':
      return n.value;
    case 'var': {
      const v = vars.get(n.name);
      if (v === undefined) throw unknownVariable(n.name, n.pos);
      return v;
    }
    case 'neg':
      return -strictEval(n.arg, vars, ctx);
    case 'not': {
      const x = truth(strictEval(n.arg, vars, ctx));
      return x !== x ? NAN : 1 - x;
    }
    case 'bin': {
      const a = strictEval(n.left, vars, ctx);
      const b = strictEval(n.right, vars, ctx);
      switch (n.op) {
        case '+':
          return a + b;
        case '-':
          return a - b;
        case '*':
          return a * b;
        case '/':
        case '%':
          if (b === 0) {
            ctx.problem ??= new FormulaError('DIV_ZERO', n.pos, '除数为零', 'division by zero');
            return NAN;
          }
          return n.op === '/' ? a / b : a % b;
        case '^': {
          const r = a ** b;
          if (a === a && b === b && !Number.isFinite(r)) {
            ctx.problem ??=
              r !== r
                ? new FormulaError('NOT_FINITE', n.pos, '乘方结果无效（负数的小数次方）', 'the power has no real value')
                : new FormulaError(
                    'NOT_FINITE',
                    n.pos,
                    '乘方结果无效（过大，或 0 的负数次方）',
                    'the power has no finite value',
                  );
          }
          return r;
        }
        case 'and': {
          const x = truth(a);
          const y = truth(b);
          return x !== x || y !== y ? NAN : x & y;
        }
        case 'or': {
          const x = truth(a);
          const y = truth(b);
          return x !== x || y !== y ? NAN : x | y;
        }
        case '<':
        case '<=':
        case '>':
        case '>=':
        case '==':
        case '!=':
          return cmpOp(n.op, a, b);
      }
      return NAN;
    }
    case 'call':
      switch (n.fn) {
        case 'if': {
          const c = truth(strictEval(n.args[0], vars, ctx));
          if (c !== c) return NAN;
          return strictEval(c ? n.args[1] : n.args[2], vars, ctx);
        }
        case 'ifnull': {
          const x = strictEval(n.args[0], vars, ctx);
          return x !== x ? strictEval(n.args[1], vars, ctx) : x;
        }
        case 'abs':
          return Math.abs(strictEval(n.args[0], vars, ctx));
        case 'round':
          return roundHalfAway(strictEval(n.args[0], vars, ctx), n.args[1] ? strictEval(n.args[1], vars, ctx) : 0);
        case 'min':
        case 'max':
        case 'sum':
        case 'avg':
          return aggregateFn(
            n.fn,
            n.args.map((a) => strictEval(a, vars, ctx)),
          );
      }
  }
}

// ---------------------------------------------------------------- fast compiled programs

/** A compiled formula reading its variables from slots of a Float64Array. */
export type SlotFormula = (slots: Float64Array) => number;

/**
 * A formula compiled to a small stack program (postfix code over a Float64Array stack). Running it
 * allocates nothing, so the engine can evaluate formulas for every unit and window without garbage.
 * Both branches of `if` and `ifnull` are evaluated: compiled evaluation has no side effects and no
 * errors (x / 0 is NaN), so this gives exactly the value of the lazy strict evaluation.
 */
export type SlotProgram = { code: Int32Array; consts: Float64Array; stack: Float64Array };

const enum Op {
  Const,
  Var,
  Neg,
  Not,
  Add,
  Sub,
  Mul,
  Div,
  Mod,
  Pow,
  Lt,
  Le,
  Gt,
  Ge,
  Eq,
  Ne,
  And,
  Or,
  If,
  IfNull,
  Abs,
  Round1,
  Round2,
  Min,
  Max,
  Sum,
  Avg,
}

const BIN_OPS: Record<BinaryOp, Op> = {
  '+': Op.Add,
  '-': Op.Sub,
  '*': Op.Mul,
  '/': Op.Div,
  '%': Op.Mod,
  '^': Op.Pow,
  '<': Op.Lt,
  '<=': Op.Le,
  '>': Op.Gt,
  '>=': Op.Ge,
  '==': Op.Eq,
  '!=': Op.Ne,
  and: Op.And,
  or: Op.Or,
};

function compileProgram(ast: FormulaNode, slotOf: (name: string, pos: number) => number): SlotProgram {
  const code: number[] = [];
  const consts: number[] = [];
  let depth = 0;
  let maxDepth = 1;
  const push = (n: number) => {
    depth += n;
    if (depth > maxDepth) maxDepth = depth;
  };
  const emit = (n: FormulaNode): void => {
    switch (n.t) {
      case 'num':
        code.push(Op.Const, consts.length);
        consts.push(n.value);
        push(1);
        return;
      case 'var':
        code.push(Op.Var, slotOf(n.name, n.pos));
        push(1);
        return;
      case 'neg':
      case 'not':
        emit(n.arg);
        code.push(n.t === 'neg' ? Op.Neg : Op.Not);
        return;
      case 'bin':
        emit(n.left);
        emit(n.right);
        code.push(BIN_OPS[n.op]);
        push(-1);
        return;
      case 'call':
        n.args.forEach(emit);
        switch (n.fn) {
          case 'if':
            code.push(Op.If);
            push(-2);
            return;
          case 'ifnull':
            code.push(Op.IfNull);
            push(-1);
            return;
          case 'abs':
            code.push(Op.Abs);
            return;
          case 'round':
            code.push(n.args.length === 2 ? Op.Round2 : Op.Round1);
            push(1 - n.args.length);
            return;
          case 'min':
          case 'max':
          case 'sum':
          case 'avg':
            code.push(
              n.fn === 'min' ? Op.Min : n.fn === 'max' ? Op.Max : n.fn === 'sum' ? Op.Sum : Op.Avg,
              n.args.length,
            );
            push(1 - n.args.length);
            return;
        }
    }
  };
  emit(ast);
  return { code: Int32Array.from(code), consts: Float64Array.from(consts), stack: new Float64Array(maxDepth) };
}

/**
 * Runs a program over the variable slots `s`; the result is left in `p.stack[0]` (NaN when it is not a
 * finite number). Never allocates, never throws. Same arithmetic as the strict evaluator.
 */
export function runProgram(p: SlotProgram, s: Float64Array): void {
  const code = p.code;
  const st = p.stack;
  const consts = p.consts;
  const n = code.length;
  let sp = 0;
  for (let pc = 0; pc < n; pc++) {
    switch (code[pc]) {
      case Op.Const:
        st[sp++] = consts[code[++pc]];
        break;
      case Op.Var:
        st[sp++] = s[code[++pc]];
        break;
      case Op.Neg:
        st[sp - 1] = -st[sp - 1];
        break;
      case Op.Not: {
        const x = truth(st[sp - 1]);
        st[sp - 1] = x !== x ? NAN : 1 - x;
        break;
      }
      case Op.Add:
        sp--;
        st[sp - 1] = st[sp - 1] + st[sp];
        break;
      case Op.Sub:
        sp--;
        st[sp - 1] = st[sp - 1] - st[sp];
        break;
      case Op.Mul:
        sp--;
        st[sp - 1] = st[sp - 1] * st[sp];
        break;
      case Op.Div: {
        sp--;
        const d = st[sp];
        st[sp - 1] = d === 0 ? NAN : st[sp - 1] / d;
        break;
      }
      case Op.Mod: {
        sp--;
        const d = st[sp];
        st[sp - 1] = d === 0 ? NAN : st[sp - 1] % d;
        break;
      }
      case Op.Pow:
        sp--;
        st[sp - 1] = st[sp - 1] ** st[sp];
        break;
      case Op.Lt:
      case Op.Le:
      case Op.Gt:
      case Op.Ge:
      case Op.Eq:
      case Op.Ne: {
        sp--;
        const a = st[sp - 1];
        const b = st[sp];
        const c = code[pc];
        st[sp - 1] = cmpOp(
          c === Op.Lt ? '<' : c === Op.Le ? '<=' : c === Op.Gt ? '>' : c === Op.Ge ? '>=' : c === Op.Eq ? '==' : '!=',
          a,
          b,
        );
        break;
      }
      case Op.And:
      case Op.Or: {
        sp--;
        const x = truth(st[sp - 1]);
        const y = truth(st[sp]);
        st[sp - 1] = x !== x || y !== y ? NAN : code[pc] === Op.And ? x & y : x | y;
        break;
      }
      case Op.If: {
        sp -= 2;
        const c = truth(st[sp - 1]);
        st[sp - 1] = c !== c ? NAN : c ? st[sp] : st[sp + 1];
        break;
      }
      case Op.IfNull: {
        sp--;
        const x = st[sp - 1];
        if (x !== x) st[sp - 1] = st[sp];
        break;
      }
      case Op.Abs:
        st[sp - 1] = Math.abs(st[sp - 1]);
        break;
      case Op.Round1:
        st[sp - 1] = roundHalfAway(st[sp - 1], 0);
        break;
      case Op.Round2:
        sp--;
        st[sp - 1] = roundHalfAway(st[sp - 1], st[sp]);
        break;
      case Op.Min:
      case Op.Max:
      case Op.Sum:
      case Op.Avg: {
        const op = code[pc];
        const k = code[++pc];
        const base = sp - k;
        let acc = op === Op.Min ? INF : op === Op.Max ? -INF : 0;
        for (let j = base; j < sp; j++) {
          const x = st[j];
          if (x !== x) {
            acc = NAN;
            break;
          }
          if (op === Op.Min) acc = x < acc ? x : acc;
          else if (op === Op.Max) acc = x > acc ? x : acc;
          else acc += x;
        }
        sp = base + 1;
        st[base] = op === Op.Avg ? acc / k : acc;
        break;
      }
    }
  }
  const r = st[0];
  st[0] = r - r === 0 ? r : NAN;
}

/** Stack size (in values per lane) a program needs; runProgramBatch wants `programDepth(p) × width` values. */
export function programDepth(p: SlotProgram): number {
  return p.stack.length;
}

/**
 * Runs a program over `width` lanes at once: slot k of lane j is `s[k * width + j]`, and the results
 * are left in `stack[0 .. width)` (NaN where not a finite number). Each operation loops over the
 * lanes, so the dispatch cost is paid once per operation instead of once per value — the engine
 * evaluates a formula for all windows of a unit in one call. Same arithmetic as runProgram, lane by
 * lane. Never allocates, never throws; `stack` must hold programDepth(p) × width values.
 */
export function runProgramBatch(p: SlotProgram, s: Float64Array, width: number, stack: Float64Array): void {
  const code = p.code;
  const st = stack;
  const consts = p.consts;
  const n = code.length;
  const W = width;
  let sp = 0;
  for (let pc = 0; pc < n; pc++) {
    const op = code[pc];
    switch (op) {
      case Op.Const: {
        const v = consts[code[++pc]];
        const o = sp * W;
        for (let j = 0; j < W; j++) st[o + j] = v;
        sp++;
        break;
      }
      case Op.Var: {
        const from = code[++pc] * W;
        const o = sp * W;
        for (let j = 0; j < W; j++) st[o + j] = s[from + j];
        sp++;
        break;
      }
      case Op.Neg: {
        const o = (sp - 1) * W;
        for (let j = 0; j < W; j++) st[o + j] = -st[o + j];
        break;
      }
      case Op.Not: {
        const o = (sp - 1) * W;
        for (let j = 0; j < W; j++) {
          const x = truth(st[o + j]);
          st[o + j] = x !== x ? NAN : 1 - x;
        }
        break;
      }
      case Op.Add:
      case Op.Sub:
      case Op.Mul:
      case Op.Div:
      case Op.Mod:
      case Op.Pow: {
        sp--;
        const a = (sp - 1) * W;
        const b = sp * W;
        if (op === Op.Add) for (let j = 0; j < W; j++) st[a + j] = st[a + j] + st[b + j];
        else if (op === Op.Sub) for (let j = 0; j < W; j++) st[a + j] = st[a + j] - st[b + j];
        else if (op === Op.Mul) for (let j = 0; j < W; j++) st[a + j] = st[a + j] * st[b + j];
        else if (op === Op.Div) {
          for (let j = 0; j < W; j++) {
            const d = st[b + j];
            st[a + j] = d === 0 ? NAN : st[a + j] / d;
          }
        } else if (op === Op.Mod) {
          for (let j = 0; j < W; j++) {
            const d = st[b + j];
            st[a + j] = d === 0 ? NAN : st[a + j] % d;
          }
        } else for (let j = 0; j < W; j++) st[a + j] = st[a + j] ** st[b + j];
        break;
      }
      case Op.Lt:
      case Op.Le:
      case Op.Gt:
      case Op.Ge:
      case Op.Eq:
      case Op.Ne: {
        sp--;
        const a = (sp - 1) * W;
        const b = sp * W;
        const cmp: BinaryOp =
          op === Op.Lt
            ? '<'
            : op === Op.Le
              ? '<='
              : op === Op.Gt
                ? '>'
                : op === Op.Ge
                  ? '>='
                  : op === Op.Eq
                    ? '=='
                    : '!=';
        for (let j = 0; j < W; j++) st[a + j] = cmpOp(cmp, st[a + j], st[b + j]);
        break;
      }
      case Op.And:
      case Op.Or: {
        sp--;
        const a = (sp - 1) * W;
        const b = sp * W;
        const and = op === Op.And;
        for (let j = 0; j < W; j++) {
          const x = truth(st[a + j]);
          const y = truth(st[b + j]);
          st[a + j] = x !== x || y !== y ? NAN : and ? x & y : x | y;
        }
        break;
      }
      case Op.If: {
        sp -= 2;
        const c = (sp - 1) * W;
        const t = sp * W;
        const e = (sp + 1) * W;
        for (let j = 0; j < W; j++) {
          const x = truth(st[c + j]);
          st[c + j] = x !== x ? NAN : x ? st[t + j] : st[e + j];
        }
        break;
      }
      case Op.IfNull: {
        sp--;
        const a = (sp - 1) * W;
        const b = sp * W;
        for (let j = 0; j < W; j++) {
          const x = st[a + j];
          if (x !== x) st[a + j] = st[b + j];
        }
        break;
      }
      case Op.Abs: {
        const o = (sp - 1) * W;
        for (let j = 0; j < W; j++) st[o + j] = Math.abs(st[o + j]);
        break;
      }
      case Op.Round1: {
        const o = (sp - 1) * W;
        for (let j = 0; j < W; j++) st[o + j] = roundHalfAway(st[o + j], 0);
        break;
      }
      case Op.Round2: {
        sp--;
        const a = (sp - 1) * W;
        const b = sp * W;
        for (let j = 0; j < W; j++) st[a + j] = roundHalfAway(st[a + j], st[b + j]);
        break;
      }
      case Op.Min:
      case Op.Max:
      case Op.Sum:
      case Op.Avg: {
        const k = code[++pc];
        const base = sp - k;
        const o = base * W;
        for (let j = 0; j < W; j++) {
          let acc = op === Op.Min ? INF : op === Op.Max ? -INF : 0;
          for (let q = 0; q < k; q++) {
            const x = st[(base + q) * W + j];
            if (x !== x) {
              acc = NAN;
              break;
            }
            if (op === Op.Min) acc = x < acc ? x : acc;
            else if (op === Op.Max) acc = x > acc ? x : acc;
            else acc += x;
          }
          st[o + j] = op === Op.Avg ? acc / k : acc;
        }
        sp = base + 1;
        break;
      }
    }
  }
  for (let j = 0; j < W; j++) {
    const r = st[j];
    st[j] = r - r === 0 ? r : NAN;
  }
}

// ---------------------------------------------------------------- public API

export type CompiledFormula = {
  readonly source: string;
  readonly ast: FormulaNode;
  /** Variables referred to, in order of first appearance. */
  readonly variables: readonly string[];
  /**
   * Binds the variables to slots: `slots.get(name)` is the index of that variable in the
   * Float64Array handed to the returned function. Unknown names throw FormulaError (with the
   * position of their first use). The function returns NaN on division by zero and on any
   * non-finite result; it never throws.
   */
  bind(slots: ReadonlyMap<string, number>): SlotFormula;
  /** Like bind, as an allocation-free program for {@link runProgram} (one per caller: it owns its stack). */
  program(slots: ReadonlyMap<string, number>): SlotProgram;
  /**
   * Strict evaluation, same arithmetic as `bind`: throws FormulaError for an unknown variable, and when
   * the result is not a finite number because of a division by zero or an invalid power (naming the
   * first such operator). Returns NaN only when a variable was NaN (missing) and the result depends on it.
   */
  evaluate(vars: FormulaVariables): number;
};

/**
 * Parses and checks a formula once. With `knownVariables`, every referenced variable must be one
 * of them (else a FormulaError names the first unknown one and its position); use it to validate a
 * formula against the leaf's form fields and the year's indicator codes.
 */
export function compileFormula(src: string, opts: { knownVariables?: Iterable<string> } = {}): CompiledFormula {
  const ast = parseFormula(src);
  const variables = formulaVariables(ast);
  if (opts.knownVariables) {
    const known =
      opts.knownVariables instanceof Set ? (opts.knownVariables as Set<string>) : new Set(opts.knownVariables);
    for (const v of variables) if (!known.has(v)) throw unknownVariable(v, firstPositionOf(ast, v));
  }
  return {
    source: src,
    ast,
    variables,
    bind(slots) {
      const p = this.program(slots);
      return (s) => {
        runProgram(p, s);
        return p.stack[0];
      };
    },
    program(slots) {
      return compileProgram(ast, (name, pos) => {
        const k = slots.get(name);
        if (k === undefined) throw unknownVariable(name, pos);
        return k;
      });
    },
    evaluate(vars) {
      const ctx: StrictCtx = { problem: null };
      const r = strictEval(ast, vars, ctx);
      if (Number.isFinite(r)) return r;
      if (ctx.problem) throw ctx.problem;
      if (r === r) throw new FormulaError('NOT_FINITE', 0, '计算结果不是有限数', 'the result is not a finite number');
      return NAN;
    },
  };
}

/** Parses and strictly evaluates a formula against a Map of variables (see CompiledFormula.evaluate). */
export function evaluateFormula(src: string, vars: FormulaVariables): number {
  return compileFormula(src).evaluate(vars);
}

// ---------------------------------------------------------------- readable trace

const PREC: Record<BinaryOp, number> = {
  or: 1,
  and: 2,
  '<': 4,
  '<=': 4,
  '>': 4,
  '>=': 4,
  '==': 4,
  '!=': 4,
  '+': 5,
  '-': 5,
  '*': 6,
  '/': 6,
  '%': 6,
  '^': 8,
};

/** Formats a number for people: up to 4 decimals, no exponent, "空" for a missing value. */
export function fmtNum(x: number): string {
  if (x !== x) return '空';
  if (x === INF) return '∞';
  if (x === -INF) return '-∞';
  const r = Math.round(x * 10000) / 10000;
  if (Math.abs(r) >= 1e15) return r.toExponential(4);
  return String(Object.is(r, -0) ? 0 : r);
}

/** Prints the AST back with every variable replaced by its value: the arithmetic a person can check. */
export function substitute(ast: FormulaNode, vars: FormulaVariables): string {
  const show = (n: FormulaNode, parentPrec: number): string => {
    switch (n.t) {
      case 'num':
        return fmtNum(n.value);
      case 'var': {
        const v = vars.get(n.name);
        const s = v === undefined ? n.name : fmtNum(v);
        return v !== undefined && v < 0 && parentPrec > 0 ? `(${s})` : s;
      }
      case 'neg':
        return `-${show(n.arg, 7)}`;
      case 'not':
        return `not ${show(n.arg, 3)}`;
      case 'bin': {
        const p = PREC[n.op];
        const text = `${show(n.left, p)} ${n.op} ${show(n.right, n.op === '^' ? p : p + 1)}`;
        return p < parentPrec ? `(${text})` : text;
      }
      case 'call':
        return `${n.fn}(${n.args.map((a) => show(a, 0)).join(', ')})`;
    }
  };
  return show(ast, 0);
}

/**
 * Strictly evaluates with a readable trace: the formula with values substituted and the result.
 * Never throws for evaluation problems: a FormulaError there is returned in `error` (value NaN).
 */
export function traceFormula(
  compiled: CompiledFormula,
  vars: FormulaVariables,
): { value: number; substituted: string; error: FormulaError | null } {
  const substituted = substitute(compiled.ast, vars);
  try {
    return { value: compiled.evaluate(vars), substituted, error: null };
  } catch (e) {
    if (e instanceof FormulaError) return { value: NAN, substituted, error: e };
    throw e;
  }
}
