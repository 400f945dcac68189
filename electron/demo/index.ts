// The demo entry, built on its own (dist/electron/demo/index.js): the host loads it at run time with --demo only,
// so the product's bundle never contains the emulator (see docs/packaging.md for installers).
export { startDemoSession } from './demo-session';
