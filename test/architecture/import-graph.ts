// The import graph of src/ and the rules it must keep (docs/architecture.md, "Layers and the import
// graph"). Read with the TypeScript compiler's parser, without type-checking: every `import`, `export …
// from`, `import()` and `import('…')` type of every .ts file, relative specifiers only (packages and
// node: builtins are not part of the graph).
//
// Type-only imports are part of the graph for every rule. A type-only cycle does no harm at run time, but
// it still means two files that each need the other to be understood, and a type imported from a higher
// layer ties the lower layer to it just as much (a RequestContext type in core/http kept views/ and auth/
// tied to the HTTP wiring). Edges keep their `typeOnly` flag so that a report can say so.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { dirname, join, posix, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

export interface ImportEdge {
  from: string;
  to: string;
  /** Every import of `to` in `from` is `import type` / `export type` / an `import('…')` type. */
  typeOnly: boolean;
}

export interface ImportGraph {
  /** Paths relative to the root, with `/`, sorted. */
  files: string[];
  edges: ImportEdge[];
}

/** One layer of core, lowest first in `Rules.layers`. A file belongs to the layer of its longest matching path. */
export interface Layer {
  name: string;
  /** A folder (ending with `/`) or a file. */
  paths: string[];
}

export interface Rules {
  /** Lowest first. A core file may import files of its own layer or of lower ones. */
  layers: Layer[];
  /** Prefix of core: every file under it must belong to a layer. */
  core: string;
  /** Folder of the product modules: `<modules><name>/…`. */
  modules: string;
  /** Files outside core that core must never import, besides the modules (application wiring). */
  appWiring: string[];
}

export interface Violation {
  rule: 'cycle' | 'unlayered' | 'upward' | 'core-imports-app' | 'module-internals' | 'module-imports-app';
  message: string;
}

const toPosix = (path: string) => path.split(sep).join(posix.sep);
const isTest = (file: string) => file.endsWith('.test.ts');

function listTsFiles(root: string, dir: string): string[] {
  const out: string[] = [];
  const walk = (abs: string) => {
    for (const entry of readdirSync(abs, { withFileTypes: true })) {
      const path = join(abs, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(toPosix(relative(root, path)));
    }
  };
  walk(join(root, dir));
  return out.sort();
}

/** Specifiers of a file's imports: value ones, and those used only for types. */
export function importsOf(fileName: string, text: string): Array<{ specifier: string; typeOnly: boolean }> {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const found = new Map<string, boolean>(); // specifier -> typeOnly so far
  const add = (specifier: string, typeOnly: boolean) => found.set(specifier, (found.get(specifier) ?? true) && typeOnly);
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      // `import type {…}`, or `import { type A, type B }` with no default and no namespace: erased.
      const typeOnly =
        !!clause &&
        (clause.isTypeOnly ||
          (!clause.name &&
            !!clause.namedBindings &&
            ts.isNamedImports(clause.namedBindings) &&
            clause.namedBindings.elements.length > 0 &&
            clause.namedBindings.elements.every((e) => e.isTypeOnly)));
      add(node.moduleSpecifier.text, typeOnly);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const typeOnly =
        node.isTypeOnly ||
        (!!node.exportClause &&
          ts.isNamedExports(node.exportClause) &&
          node.exportClause.elements.length > 0 &&
          node.exportClause.elements.every((e) => e.isTypeOnly));
      add(node.moduleSpecifier.text, typeOnly);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [arg] = node.arguments;
      if (arg && ts.isStringLiteralLike(arg)) add(arg.text, false);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      add(node.argument.literal.text, true);
    } else if (
      ts.isImportEqualsDeclaration(node) &&
      ts.isExternalModuleReference(node.moduleReference) &&
      ts.isStringLiteral(node.moduleReference.expression)
    ) {
      add(node.moduleReference.expression.text, node.isTypeOnly);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return [...found].map(([specifier, typeOnly]) => ({ specifier, typeOnly }));
}

/**
 * The graph of every .ts file under `dir` (relative to `root`). An import of a relative path that names no
 * file is an error: the checker would otherwise miss an edge.
 */
export function readImportGraph(root: string, dir = 'src'): ImportGraph {
  const files = listTsFiles(root, dir);
  const edges: ImportEdge[] = [];
  for (const file of files) {
    for (const { specifier, typeOnly } of importsOf(file, readFileSync(join(root, file), 'utf8'))) {
      if (!specifier.startsWith('./') && !specifier.startsWith('../')) continue;
      const target = toPosix(relative(root, resolve(root, dirname(file), specifier)));
      if (!existsSync(join(root, target))) throw new Error(`${file} imports ${specifier}, which is not a file (${target})`);
      // JSON, CSS… are leaves: they import nothing, so they cannot close a cycle, but layering applies to them too.
      edges.push({ from: file, to: target, typeOnly });
    }
  }
  return { files, edges };
}

/** Strongly connected components with more than one file (or a file importing itself), each as one cycle path. */
export function findCycles(graph: ImportGraph): string[][] {
  const next = new Map<string, string[]>();
  for (const e of graph.edges) {
    if (!next.has(e.from)) next.set(e.from, []);
    next.get(e.from)!.push(e.to);
  }
  for (const list of next.values()) list.sort();
  // Tarjan, iterative (a deep import chain must not overflow the stack).
  let index = 0;
  const indexOf = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  const nodes = [...new Set([...graph.files, ...graph.edges.map((e) => e.to)])].sort();
  for (const start of nodes) {
    if (indexOf.has(start)) continue;
    const work: Array<{ node: string; i: number }> = [{ node: start, i: 0 }];
    indexOf.set(start, index);
    low.set(start, index);
    index++;
    stack.push(start);
    onStack.add(start);
    while (work.length) {
      const frame = work[work.length - 1]!;
      const targets = next.get(frame.node) ?? [];
      if (frame.i < targets.length) {
        const to = targets[frame.i++]!;
        if (!indexOf.has(to)) {
          indexOf.set(to, index);
          low.set(to, index);
          index++;
          stack.push(to);
          onStack.add(to);
          work.push({ node: to, i: 0 });
        } else if (onStack.has(to)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, indexOf.get(to)!));
        }
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1]!.node;
        low.set(parent, Math.min(low.get(parent)!, low.get(frame.node)!));
      }
      if (low.get(frame.node) === indexOf.get(frame.node)) {
        const component: string[] = [];
        let n: string;
        do {
          n = stack.pop()!;
          onStack.delete(n);
          component.push(n);
        } while (n !== frame.node);
        const selfLoop = (next.get(frame.node) ?? []).includes(frame.node);
        if (component.length > 1 || selfLoop) components.push(component.sort());
      }
    }
  }
  // One concrete cycle per component, from its first file: the shortest way back (breadth first).
  return components
    .map((component) => {
      const members = new Set(component);
      const first = component[0]!;
      const cameFrom = new Map<string, string>();
      const queue = [first];
      while (queue.length) {
        const node = queue.shift()!;
        for (const to of next.get(node) ?? []) {
          if (!members.has(to)) continue;
          if (to === first) {
            const path = [first];
            for (let n = node; n !== first; n = cameFrom.get(n)!) path.splice(1, 0, n);
            if (node !== first || path.length === 1) path.push(first);
            return path;
          }
          if (!cameFrom.has(to)) {
            cameFrom.set(to, node);
            queue.push(to);
          }
        }
      }
      return [first, first];
    })
    .sort((a, b) => a[0]!.localeCompare(b[0]!));
}

function layerOf(rules: Rules, file: string): { name: string; rank: number } | null {
  let best: { name: string; rank: number; length: number } | null = null;
  rules.layers.forEach((layer, rank) => {
    for (const path of layer.paths) {
      const matches = path.endsWith('/') ? file.startsWith(path) : file === path;
      if (matches && (!best || path.length > best.length)) best = { name: layer.name, rank, length: path.length };
    }
  });
  return best ? { name: (best as { name: string }).name, rank: (best as { rank: number }).rank } : null;
}

function moduleOf(rules: Rules, file: string): string | null {
  if (!file.startsWith(rules.modules)) return null;
  const name = file.slice(rules.modules.length).split('/')[0];
  return name && file.slice(rules.modules.length).includes('/') ? name : null;
}

/** Every broken rule, in a stable order. */
export function checkImportGraph(graph: ImportGraph, rules: Rules): Violation[] {
  const violations: Violation[] = [];
  const kind = (e: ImportEdge) => (e.typeOnly ? ' (type-only)' : '');

  for (const cycle of findCycles(graph)) violations.push({ rule: 'cycle', message: `import cycle: ${cycle.join(' → ')}` });

  for (const file of graph.files) {
    if (file.startsWith(rules.core) && !layerOf(rules, file)) {
      violations.push({ rule: 'unlayered', message: `${file} is in no layer: add its folder to the layer list (test/architecture/import-graph.test.ts)` });
    }
  }

  for (const e of graph.edges) {
    const fromLayer = layerOf(rules, e.from);
    const toModule = moduleOf(rules, e.to);
    const inCore = e.from.startsWith(rules.core) || fromLayer !== null;
    if (inCore) {
      // A test file is not part of what runs: a core test may build the whole application (src/app.ts)
      // or exercise its layer with the layers above it. Cycles still count for it.
      if (isTest(e.from)) continue;
      if (toModule !== null || e.to.startsWith(rules.modules) || rules.appWiring.includes(e.to)) {
        violations.push({
          rule: 'core-imports-app',
          message: `${e.from} imports ${e.to}${kind(e)}: core never imports a module or the application wiring (pass what it needs in from the caller)`,
        });
        continue;
      }
      const toLayer = layerOf(rules, e.to);
      if (fromLayer && toLayer && toLayer.rank > fromLayer.rank) {
        violations.push({
          rule: 'upward',
          message: `${e.from} (${fromLayer.name}) imports ${e.to} (${toLayer.name})${kind(e)}: a layer imports its own or lower layers only`,
        });
      }
      continue;
    }
    const fromModule = moduleOf(rules, e.from);
    if (fromModule === null) continue; // application wiring, CLI: may import anything
    if (toModule !== null && toModule !== fromModule && e.to !== `${rules.modules}${toModule}/index.ts`) {
      violations.push({ rule: 'module-internals', message: `${e.from} imports ${e.to}${kind(e)}: another module is reached through its index.ts only` });
    } else if (rules.appWiring.includes(e.to) && !isTest(e.from)) {
      // a module's tests build the application
      violations.push({
        rule: 'module-imports-app',
        message: `${e.from} imports ${e.to}${kind(e)}: a module is wired by the application, it does not import the wiring`,
      });
    }
  }
  return violations;
}
