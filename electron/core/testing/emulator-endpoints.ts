import { DEMO, type Emulator } from '../../../e2e/emulator';
import type { NetworkSettings } from '../net/endpoints';

/** The core's cloud endpoints pointed at one emulator: the same code as against Microsoft, other host names. */
export const emulatorEndpoints = (emu: Pick<Emulator, 'authorityHost' | 'graphRoot'>): NetworkSettings['endpoints'] => ({
  global: { authorityHost: emu.authorityHost, graphRoot: emu.graphRoot, graphResource: DEMO.graphResource },
});
