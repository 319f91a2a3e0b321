/** The bundled data/*.csv files as text, inlined by Vite (`?raw`), keyed like DATA_FILES. */
import ceadsSectors from '../../data/ceads-sectors.csv?raw';
import ceadsToIo from '../../data/ceads-to-io.csv?raw';
import ipccFuels from '../../data/ipcc-fuels.csv?raw';
import provinces from '../../data/provinces.csv?raw';
import sectors42 from '../../data/sectors.csv?raw';
import sectors30 from '../../data/sectors30.csv?raw';
import { DATA_FILES } from '../../src/data/parse.js';

export const DATA_TEXTS: Record<string, string> = {
  [DATA_FILES.provinces]: provinces,
  [DATA_FILES.sectors42]: sectors42,
  [DATA_FILES.sectors30]: sectors30,
  [DATA_FILES.ceadsSectors]: ceadsSectors,
  [DATA_FILES.ceadsToIo]: ceadsToIo,
  [DATA_FILES.ipccFuels]: ipccFuels,
};
