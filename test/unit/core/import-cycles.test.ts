import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * No import cycle in services/: two files that import each other (even for a type) are one concept split in
 * two, or a missing third file that both need. Imports are read from the source (static `import ... from` and
 * `export ... from` with a relative path); the cycles are the strongly connected components of that graph.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const IMPORT = /^\s*(?:import|export)\s[^'"]*?\sfrom\s+['"](\.{1,2}\/[^'"]+)['"]/gm;

function sourceFiles(): string[] {
  const services = path.join(ROOT, 'services');
  return readdirSync(services).flatMap((name) => {
    const src = path.join(services, name, 'src');
    try {
      return (readdirSync(src, { recursive: true }) as string[])
        .filter((f) => f.endsWith('.ts'))
        .map((f) => path.join(src, f));
    } catch {
      return [];
    }
  });
}

/** Each file's relative imports, as absolute paths. */
function importGraph(files: readonly string[], read: (file: string) => string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const targets = [...read(file).matchAll(IMPORT)].map((m) => path.resolve(path.dirname(file), m[1]!));
    graph.set(file, targets);
  }
  return graph;
}

/** The strongly connected components with more than one file (Tarjan's algorithm). */
function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1) found.push(component.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

describe('import cycles', () => {
  it('shouldFindNoImportCycleInServices', () => {
    const files = sourceFiles();
    expect(files.length).toBeGreaterThan(100);
    const graph = importGraph(files, (f) => readFileSync(f, 'utf8'));
    const found = cycles(graph).map((c) => c.map((f) => path.relative(ROOT, f)).join(' <-> '));
    expect(found).toEqual([]);
  });

  it('shouldFindACycleWhenTwoFilesImportEachOtherEvenForATypeOnly', () => {
    const sources: Record<string, string> = {
      '/s/a.ts': "import type { B } from './b.ts';\nexport const a = 1;",
      '/s/b.ts': "import { a } from './a.ts';\nexport type B = number;",
      '/s/c.ts': "import { a } from './a.ts';",
    };
    const graph = importGraph(Object.keys(sources), (f) => sources[f]!);
    expect(cycles(graph)).toEqual([['/s/a.ts', '/s/b.ts']]);
  });

  it('shouldFindALongerCycleThroughAReExport', () => {
    const sources: Record<string, string> = {
      '/s/a.ts': "export { b } from './b.ts';",
      '/s/b.ts': "import { c } from './sub/c.ts';\nexport const b = c;",
      '/s/sub/c.ts': "import { a } from '../a.ts';\nexport const c = a;",
    };
    const graph = importGraph(Object.keys(sources), (f) => sources[f]!);
    expect(cycles(graph)).toEqual([['/s/a.ts', '/s/b.ts', '/s/sub/c.ts']]);
  });
});
