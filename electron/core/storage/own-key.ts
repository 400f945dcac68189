/**
 * The value stored under `key`, never one inherited from Object.prototype: keys come from callers, and
 * `map['constructor']` or `map['__proto__']` on a plain object answers with the prototype's members.
 */
export function ownValue<T>(map: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(map, key) ? map[key] : undefined;
}
