/** The what-if sliders: scalings of the inputs (src/model/scenario.ts) before the model runs. */
import { NO_SCALING, type Scalings } from '../../../src/model/scenario.js';
import { $ } from '../dom.js';
import { bundled, state } from '../state.js';

/** Wires the sliders and their reset; `onChange` recomputes. */
export function buildWhatIf(onChange: () => void): void {
  const sliders: [string, keyof Scalings][] = [
    ['emissions', 'emissions'],
    ['province', 'provinceEmissions'],
    ['exports', 'exports'],
  ];
  for (const [id, key] of sliders) {
    const input = $<HTMLInputElement>(`#s-${id}`);
    const out = $<HTMLOutputElement>(`#o-${id}`);
    input.setAttribute('aria-valuetext', `times ${Number(input.value).toFixed(2)}`);
    input.addEventListener('input', () => {
      const k = Number(input.value);
      out.value = `×${k.toFixed(2)}`;
      input.setAttribute('aria-valuetext', `times ${k.toFixed(2)}`);
      state.scalings = { ...state.scalings, [key]: k };
      onChange();
    });
  }
  $('#reset-scalings').addEventListener('click', () => {
    for (const [id] of sliders) {
      $<HTMLInputElement>(`#s-${id}`).value = '1';
      $<HTMLInputElement>(`#s-${id}`).setAttribute('aria-valuetext', 'times 1.00');
      $<HTMLOutputElement>(`#o-${id}`).value = '×1.00';
    }
    state.scalings = { ...NO_SCALING, province: state.selected };
    onChange();
  });
}

/**
 * The selected province's CO2 slider: disabled, with a note, for a province without an emission
 * inventory (Tibet), whose intensities are the national ones, so that scaling its inventory does nothing.
 */
export function updateProvinceSlider(): void {
  const none = bundled.provinces.find((p) => p.province === state.selected)?.ceadsSheet === '';
  $<HTMLInputElement>('#s-province').disabled = none;
  const note = $('#s-province-note');
  note.hidden = !none;
  note.textContent = none ? `${state.selected} has no CO2 inventory (CEADs has none); the model gives it the national intensities.` : '';
}
