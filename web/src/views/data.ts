/** The data: the user's files (read in this browser, parsed in the worker) or the demo, and what the page says about them. */
import type { DataFiles } from '../../../src/inputs/index.js';
import type { NamedBytes } from '../../../src/io/provincial-set.js';
import type { DatasetInfo } from '../worker/protocol.js';
import { $ } from '../dom.js';
import { state } from '../state.js';
import { ask } from '../worker-client.js';
import { showError } from './status.js';

/** Wires the file form and the demo button; `useDataset` takes the dataset the worker then holds. */
export function buildDataForm(useDataset: (d: DatasetInfo) => void): void {
  $('#file-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    void loadFiles(useDataset);
  });
  $('#use-demo').addEventListener('click', () => {
    void ask({ type: 'demo' }).then((r) => r.type === 'dataset' && useDataset(r.dataset));
  });
}

async function readFile(input: HTMLInputElement): Promise<NamedBytes[]> {
  return Promise.all([...(input.files ?? [])].map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })));
}

async function loadFiles(useDataset: (d: DatasetInfo) => void): Promise<void> {
  const one = async (id: string) => (await readFile($<HTMLInputElement>(id)))[0];
  const files: DataFiles & { provincial: NamedBytes[] } = { provincial: await readFile($<HTMLInputElement>('#f-provincial')) };
  const optional: [Exclude<keyof DataFiles, 'provincial' | 'folder'>, string][] = [
    ['national', '#f-national'],
    ['emissions', '#f-emissions'],
    ['energy', '#f-energy'],
    ['nationalInventory', '#f-national-inventory'],
  ];
  for (const [key, id] of optional) {
    const f = await one(id);
    if (f) files[key] = f;
  }
  $('#data-note').textContent = 'Reading your files…';
  const transfer = [...files.provincial, ...optional.map(([k]) => files[k]).filter((f): f is NamedBytes => !!f)].map((f) => f.bytes.buffer);
  try {
    const r = await ask({ type: 'load', files }, transfer);
    if (r.type === 'dataset') useDataset(r.dataset);
  } catch (e) {
    showError(`Could not read your files: ${(e as Error).message}`);
    if (state.dataset) renderDatasetNote(state.dataset);
  }
}

export function renderDatasetNote(d: DatasetInfo): void {
  const note = $('#data-note');
  note.textContent = d.data === 'demo' ? 'Synthetic demo data' : 'Your data';
  note.className = `badge ${d.data}`;
  note.title = d.note;
  const ul = $('#warnings');
  ul.innerHTML = '';
  const li = document.createElement('li');
  li.className = 'note';
  li.textContent = d.note;
  ul.append(li);
  for (const w of d.warnings) {
    const item = document.createElement('li');
    item.textContent = w;
    ul.append(item);
  }
}
