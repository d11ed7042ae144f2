// The TypeScript sources of services/ with their comments removed, for the tests that hold a concept to its one
// home by a pattern over the code (one-home.test.ts, window-finality-home.test.ts).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The source without comments, so that a comment naming a concept is not taken for its code. */
export function withoutComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export function serviceSources(withCore = false): { file: string; code: string }[] {
  const services = path.join(ROOT, 'services');
  return readdirSync(services)
    .filter((name) => withCore || name !== 'core')
    .flatMap((name) => {
      const src = path.join(services, name, 'src');
      let files: string[];
      try {
        files = readdirSync(src, { recursive: true }) as string[];
      } catch {
        return [];
      }
      return files
        .filter((f) => f.endsWith('.ts'))
        .map((f) => {
          const file = path.join('services', name, 'src', f);
          return { file, code: withoutComments(readFileSync(path.join(ROOT, file), 'utf8')) };
        });
    });
}
