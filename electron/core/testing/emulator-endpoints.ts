import { CLOUDS } from '../../../shared/clouds';
import { DEMO, type Emulator } from '../../../e2e/emulator';
import type { NetworkSettings } from '../net/endpoints';

/**
 * The core's cloud endpoints pointed at one emulator: the same code as against Microsoft, other host names.
 * The emulator's second cloud stands for US Government (GCC High), with that cloud's sign-in hosts.
 */
export const emulatorEndpoints = (
  emu: Pick<Emulator, 'authorityHost' | 'graphRoot'> & Partial<Pick<Emulator, 'secondCloud'>>,
): NetworkSettings['endpoints'] => ({
  global: { authorityHost: emu.authorityHost, graphRoot: emu.graphRoot, graphResource: DEMO.graphResource },
  ...(emu.secondCloud === undefined
    ? {}
    : {
        [emu.secondCloud.id]: {
          authorityHost: emu.secondCloud.authorityHost,
          graphRoot: emu.secondCloud.graphRoot,
          graphResource: emu.secondCloud.graphResource,
          signInHosts: CLOUDS[emu.secondCloud.id].signInHosts,
        },
      }),
});
