import * as fs from 'fs';
import * as path from 'path';

/**
 * The package version. package.json is two levels up both from the compiled `lib/cli/*.js` and from
 * `src/cli/*.ts` under ts-jest, so one relative path serves both.
 */
export function packageVersion(): string {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
}
