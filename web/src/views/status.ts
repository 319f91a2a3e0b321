/** The run's status: the error line, the model's checks and the recompute timing. */
import { $ } from '../dom.js';
import { state } from '../state.js';

export function showError(message: string): void {
  const el = $('#error');
  el.hidden = message === '';
  el.textContent = message;
}

export function renderChecks(): void {
  const ul = $('#checks');
  ul.innerHTML = '';
  for (const c of state.result?.checks ?? []) {
    const li = document.createElement('li');
    li.className = c.ok ? 'ok' : 'fail';
    li.innerHTML = `<span aria-hidden="true">${c.ok ? '✓' : '✗'}</span> `;
    li.append(`${c.name}${c.ok ? '' : ' failed'}`);
    li.title = c.detail;
    ul.append(li);
  }
}

export function renderTiming(roundTrip: number, model: number, renderMs: number): void {
  const el = $('#timing');
  el.dataset.ms = roundTrip.toFixed(2);
  el.dataset.modelMs = model.toFixed(2);
  el.dataset.renderMs = renderMs.toFixed(2);
  el.dataset.count = String(state.computes);
  el.textContent = `Recomputed in ${roundTrip.toFixed(0)} ms (model ${model.toFixed(0)} ms in the worker, ${state.result?.kernel ?? '?'} kernel).`;
}
