/**
 * The flags of every command that reads the tables, declared once: the data files and the
 * repeatable `-O, --option name=value`, whose help lists each option and value as OPTIONS
 * (src/model/options.ts) describes it.
 */
import { Option, type Command } from 'commander';
import { OPTIONS } from '../model/options.js';
import { DATA_PATH_KEYS, type DataPaths } from '../inputs/node.js';

export interface DataFlags extends DataPaths {
  /** `name=value` strings, as given (validated by parseOptionArgs). */
  option: string[];
}

const DATA_FLAGS: Record<(typeof DATA_PATH_KEYS)[number], [flags: string, help: string]> = {
  provincial: ['--provincial <dir>', 'folder of the 31 provincial IO tables (.xls, .xlsx or .csv)'],
  national: ['--national <file>', 'national IO table, non-competitive CSV (china_2017_42.csv)'],
  emissions: ['--emissions <file>', 'CEADs provincial CO2 emission inventories (.xlsx)'],
  energy: ['--energy <file>', 'CEADs provincial energy inventories (.xlsx), for emission-source=energy'],
  factors: ['--factors <file>', 'emission factors per fuel (CSV); default: bundled IPCC 2006 defaults'],
  nationalInventory: ['--national-inventory <file>', 'CEADs national CO2 inventory (.xlsx), for national-emissions=national-inventory'],
};

/** Options described as OPTIONS describes them: a summary and a description per value, default first. */
export type DescribedOptions = Readonly<Record<string, { readonly summary: string; readonly values: Readonly<Record<string, string>> }>>;

const collect = (v: string, acc: string[]) => [...acc, v];

const HELP_WIDTH = 80;

/** `text` in lines of at most HELP_WIDTH columns, the first after `lead`, the others indented to line up with it. */
function hanging(lead: string, text: string): string {
  const indent = ' '.repeat(lead.length);
  const lines: string[] = [];
  let line = lead;
  for (const word of text.split(' ')) {
    if (line.length > indent.length && line.length + 1 + word.length > HELP_WIDTH) {
      lines.push(line);
      line = indent + word;
    } else line += (line.length > indent.length ? ' ' : '') + word;
  }
  return [...lines, line].join('\n');
}

/** The help text listing every option and its values, default first. */
function optionsHelp(title: string, options: DescribedOptions): string {
  const width = Math.max(...Object.values(options).flatMap((o) => Object.keys(o.values).map((v) => v.length)));
  const lines = [`${title} (-O name=value; the default is first):`];
  for (const [name, o] of Object.entries(options)) {
    lines.push(hanging(`  ${name}: `, o.summary));
    for (const [value, text] of Object.entries(o.values)) lines.push(hanging(`    ${value.padEnd(width)}  `, text));
  }
  return lines.join('\n');
}

/**
 * Declares the data flags and `-O, --option` on `cmd`, and appends the options' help; `more` are
 * options of the command itself (e.g. the MRIO's balance), parsed by it from the same --option.
 */
export function addDataFlags(cmd: Command, more?: { title: string; options: DescribedOptions }): Command {
  for (const k of DATA_PATH_KEYS) cmd.option(...DATA_FLAGS[k]);
  cmd.addOption(
    new Option('-O, --option <name=value>', 'a method option (repeatable), e.g. aggregation=after; the options are listed below')
      .argParser(collect)
      .default([], "each option's first value"),
  );
  const help = [optionsHelp('Method options', OPTIONS), ...(more ? [optionsHelp(more.title, more.options)] : [])];
  return cmd.addHelpText('after', `\n${help.join('\n\n')}`);
}
