/**
 * The method options: one selector per option, described by OPTIONS (src/model/options.ts), with
 * the values the loaded data cannot support disabled.
 */
import { OPTION_VALUES, OPTIONS, type ModelOptions, type OptionName } from '../../../src/model/options.js';
import { $ } from '../dom.js';
import { state } from '../state.js';

/** An option's summary and each value's description, e.g. "… — before: … · after: … · none: …". */
function optionHelp(name: OptionName): string {
  const o = OPTIONS[name];
  return `${o.summary} — ${Object.entries(o.values)
    .map(([v, d]) => `${v}: ${d}`)
    .join(' · ')}`;
}

/** One selector per option; `onChange` recomputes. */
export function buildOptions(onChange: () => void): void {
  const box = $('#options');
  for (const [name, values] of Object.entries(OPTION_VALUES) as [OptionName, readonly string[]][]) {
    const id = `opt-${name}`;
    const label = document.createElement('label');
    label.htmlFor = id;
    label.textContent = name;
    const select = document.createElement('select');
    select.id = id;
    select.dataset.option = name;
    select.title = optionHelp(name);
    for (const v of values) select.add(new Option(v === values[0] ? `${v} (default)` : v, v));
    select.value = state.options[name];
    select.addEventListener('change', () => {
      state.options = { ...state.options, [name]: select.value } as ModelOptions;
      state.rescale = true;
      onChange();
    });
    const help = document.createElement('span');
    help.className = 'hint';
    help.textContent = optionHelp(name);
    box.append(label, select, help);
  }
}

/** Disables the values whose input the dataset lacks, moving a selection off one to the first allowed. */
export function disableUnavailable(): void {
  const has = state.dataset?.has;
  if (!has) return;
  const rules: [OptionName, string, boolean][] = [
    ['emission-source', 'ceads', has.emissions],
    ['emission-source', 'energy', has.energy],
    ['national-emissions', 'national-inventory', has.nationalInventory],
  ];
  for (const [name, value, ok] of rules) {
    const select = document.querySelector<HTMLSelectElement>(`#opt-${name}`)!;
    const opt = [...select.options].find((o) => o.value === value)!;
    opt.disabled = !ok;
    opt.textContent = `${value}${value === OPTION_VALUES[name][0] ? ' (default)' : ''}${ok ? '' : ' — needs its inventory file'}`;
    if (!ok && state.options[name] === value) {
      const fallback = [...select.options].find((o) => !o.disabled)!.value;
      select.value = fallback;
      state.options = { ...state.options, [name]: fallback } as ModelOptions;
    }
  }
}
