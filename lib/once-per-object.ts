// Derived data built once per object and kept only as long as the object lives (a WeakMap).

/** `build` wrapped so that it runs once per key object; later calls with that object get the first result. */
export function oncePerObject<K extends object, V>(build: (key: K) => V): (key: K) => V {
  const built = new WeakMap<K, V>();
  return (key) => {
    if (built.has(key)) return built.get(key)!;
    const value = build(key);
    built.set(key, value);
    return value;
  };
}
