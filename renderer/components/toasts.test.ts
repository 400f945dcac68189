import { describe, expect, it } from 'vitest';
import { attachToaster, sayToast, type SuccessToast } from './toasts';

const toast = (id: string): SuccessToast => ({ id, text: `${id} text`, attributes: {} });

describe('toasts before the toaster is there', () => {
  it('keeps the last toast said before the toaster mounts and hands it over on attach; later ones go straight', () => {
    sayToast(toast('first'));
    sayToast(toast('second')); // one slot: the second replaces the first, as on screen
    const shown: string[] = [];
    const detach = attachToaster((t) => shown.push(t.id));
    expect(shown).toEqual(['second']);
    sayToast(toast('third'));
    expect(shown).toEqual(['second', 'third']);
    detach();
    sayToast(toast('fourth'));
    expect(shown).toEqual(['second', 'third']);
    const again: string[] = [];
    attachToaster((t) => again.push(t.id))();
    expect(again).toEqual(['fourth']);
  });
});
