// What every window of the app must be (EL-2…11), written as the security requirements' table rather
// than as code, so a pin test cannot simply mirror the factory. Tests compare sorted entries.
export const ISOLATED_WINDOW_ENTRIES: ReadonlyArray<readonly [string, unknown]> = [
  ['allowRunningInsecureContent', false],
  ['contextIsolation', true],
  ['experimentalFeatures', false],
  ['navigateOnDragDrop', false],
  ['nodeIntegration', false],
  ['nodeIntegrationInSubFrames', false],
  ['nodeIntegrationInWorker', false],
  ['sandbox', true],
  ['spellcheck', false],
  ['webSecurity', true],
  ['webviewTag', false],
];

/** Sorted [key, value] pairs of an options object, for a deep comparison that fails on any extra key. */
export const entriesOf = (options: object | undefined): Array<[string, unknown]> =>
  Object.entries(options ?? {}).sort(([a], [b]) => a.localeCompare(b));

export const expectedEntries = (...extra: Array<readonly [string, unknown]>): Array<[string, unknown]> =>
  [...ISOLATED_WINDOW_ENTRIES, ...extra].map(([k, v]): [string, unknown] => [k, v]).sort(([a], [b]) => a.localeCompare(b));
