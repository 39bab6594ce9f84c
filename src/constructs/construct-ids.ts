import { Construct, IConstruct } from 'constructs';

/**
 * Construct ids checked before `super()`: the constructs library keeps a construct's children in a
 * plain object, so an id that names a property of every object (`constructor`, `__proto__`,
 * `toString`...) is refused as "already a Construct" (or, for `tryFindChild`, found where there is
 * none), an empty id throws "Only root constructs may have an empty ID", and a taken id names no fix.
 * Each is reported here in one line, with the parent's path, the id and the fix.
 */

/** True when `id` names a property that every JavaScript object inherits. */
export function isObjectPrototypeKey(id: string): boolean {
  return id in Object.prototype;
}

/** The child of `scope` with that id, never an inherited property of the library's child table. */
export function childWithId(scope: IConstruct, id: string): IConstruct | undefined {
  return isObjectPrototypeKey(id) ? undefined : scope.node.tryFindChild(id);
}

/** Where a construct is created, for messages: its parent's path, or "the app root". */
function placeOf(scope: IConstruct): string {
  return scope.node.path === '' ? '<app root>' : scope.node.path;
}

/** Why `id` cannot name a new child of `scope`, or undefined when it can. */
export function childIdProblem(scope: IConstruct, id: unknown): string | undefined {
  if (typeof id !== 'string') return `the id must be a string, got ${id === null ? 'null' : typeof id}`;
  if (id === '') return 'the id must not be empty';
  if (isObjectPrototypeKey(id)) {
    return `'${id}' is the name of a property of every JavaScript object, which the constructs library cannot use as a child id`;
  }
  const existing = childWithId(scope, id);
  if (existing) return `the id '${id}' is already used by ${existing.node.path}`;
  return undefined;
}

/**
 * Returns `id` when `scope` can hold a new child of that id; otherwise throws one line naming the
 * parent's path, the construct, the id and `fix`. Called in the `super()` arguments.
 */
export function checkedChildId(scope: IConstruct, id: string, construct: string, fix: string): string {
  if (!Construct.isConstruct(scope)) {
    throw new TypeError(`new ${construct}(scope, ${JSON.stringify(id)}): the scope ${String(scope)} is not a construct. Fix: pass the construct to create it in`);
  }
  const problem = childIdProblem(scope, id);
  if (problem) throw new Error(`[${placeOf(scope)}] new ${construct}(scope, ${JSON.stringify(id) ?? String(id)}): ${problem}. Fix: ${fix}`);
  return id;
}

/**
 * The id of a child named after a user's name (a namespace or workload name), which is valid as a
 * name even where it cannot be an id (`constructor`): the name itself, or `<name>-<suffix>`.
 */
export function idForName(name: string, suffix: string): string {
  return isObjectPrototypeKey(name) ? `${name}-${suffix}` : name;
}
