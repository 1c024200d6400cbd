// No module casts a request body (`request.body as T`, `(request.body ?? {}) as T`, `<T>request.body`): a
// route declares its body schema (TypeBox), Fastify validates the body against it and types it, and a
// form route reads its body through that schema (issue 11). A cast would let an unvalidated body through
// with a type that lies. Read with the TypeScript parser, so comments and strings do not count.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** `request.body` or `req.body`, under parentheses, `!`, and the left side of `??` / `||`. */
function isRequestBody(node: ts.Expression): boolean {
  if (ts.isParenthesizedExpression(node) || ts.isNonNullExpression(node)) return isRequestBody(node.expression);
  if (ts.isBinaryExpression(node) && [ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.BarBarToken].includes(node.operatorToken.kind)) {
    return isRequestBody(node.left);
  }
  return (
    ts.isPropertyAccessExpression(node) && node.name.text === 'body' && ts.isIdentifier(node.expression) && ['request', 'req'].includes(node.expression.text)
  );
}

/** Each cast of a request body in the source, as `line: text`. */
export function requestBodyCasts(fileName: string, text: string): string[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if ((ts.isAsExpression(node) || ts.isTypeAssertionExpression(node)) && isRequestBody(node.expression)) {
      const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
      found.push(`${line + 1}: ${node.getText(source)}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.test.ts'))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

test('the checker finds each form of a request body cast, and nothing else', () => {
  const sample = [
    `const a = request.body as { name: string };`,
    `const b = (request.body ?? {}) as Body;`,
    `const c = <Body>req.body;`,
    `const d = (request.body!) as Body;`,
    `const e = request.body.name as string;`, // a field of a validated body: not a body cast
    `const f = readForm(Form, request.body);`,
    `const g = reply.body as Body;`,
    `// request.body as Body`,
    `const h = 'request.body as Body';`,
  ].join('\n');
  assert.deepEqual(requestBodyCasts('sample.ts', sample), [
    '1: request.body as { name: string }',
    '2: (request.body ?? {}) as Body',
    '3: <Body>req.body',
    '4: (request.body!) as Body',
  ]);
});

test('no module casts a request body', () => {
  const casts = tsFiles(join(root, 'src/modules')).flatMap((file) =>
    requestBodyCasts(file, readFileSync(file, 'utf8')).map((c) => `${relative(root, file)}:${c}`),
  );
  assert.deepEqual(casts, [], 'declare the body schema on the route (TypeBox) and read the typed body instead');
});
