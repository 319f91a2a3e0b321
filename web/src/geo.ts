/**
 * Province boundaries: echarts 4's map/json/china.json (Apache-2.0, from the npm registry), which
 * stores rings compactly (zigzag/delta characters); decoded here exactly as echarts decodes them,
 * then rewound for d3-geo's spherical convention and projected to SVG paths.
 */
import { geoArea, geoConicEqualArea, geoPath, type GeoPermissibleObjects } from 'd3-geo';
import chinaJson from 'echarts/map/json/china.json';

interface EncodedFeature {
  id: string;
  properties: { name: string; cp: [number, number] };
  geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown; encodeOffsets: unknown };
}

export interface ProvinceShape {
  /** Chinese short name, as in data/provinces.csv (e.g. 内蒙古). */
  zh: string;
  /** GB/T 2260 code, e.g. "110000". */
  id: string;
  /** SVG path data in the map's viewBox. */
  d: string;
  /** Label anchor in the viewBox. */
  centroid: [number, number];
  /** The provincial capital (echarts' `cp`) in the viewBox. */
  capital: [number, number];
  /** Area in the viewBox (px²), to skip labels on tiny shapes. */
  area: number;
}

type Ring = [number, number][];

function decodeRing(encoded: string, offset: [number, number], scale: number): Ring {
  const ring: Ring = [];
  let [px, py] = offset;
  for (let i = 0; i < encoded.length; i += 2) {
    let x = encoded.charCodeAt(i) - 64;
    let y = encoded.charCodeAt(i + 1) - 64;
    x = (x >> 1) ^ -(x & 1);
    y = (y >> 1) ^ -(y & 1);
    x += px;
    y += py;
    px = x;
    py = y;
    ring.push([x / scale, y / scale]);
  }
  return ring;
}

/** The rings of one polygon, made to follow d3-geo's winding (exterior clockwise on the sphere). */
function polygon(rings: Ring[]): Ring[] {
  return rings.map((ring, i) => {
    const area = geoArea({ type: 'Polygon', coordinates: [ring] });
    // A ring that encloses more than a hemisphere is wound the wrong way round for d3.
    const wrong = area > 2 * Math.PI;
    return (i === 0 ? wrong : !wrong) ? ring.slice().reverse() : ring;
  });
}

function decodeChina(): GeoJSON.Feature[] {
  const json = chinaJson as unknown as { features: EncodedFeature[]; UTF8Encoding?: boolean; UTF8Scale?: number };
  const scale = json.UTF8Scale ?? 1024;
  return json.features.map((f) => {
    const g = f.geometry;
    let geometry: GeoJSON.Geometry;
    if (g.type === 'Polygon') {
      const rings = (g.coordinates as string[]).map((r, c) => decodeRing(r, (g.encodeOffsets as [number, number][])[c]!, scale));
      geometry = { type: 'Polygon', coordinates: polygon(rings) };
    } else {
      const polys = (g.coordinates as string[][]).map((p, c) =>
        polygon(p.map((r, c2) => decodeRing(r, (g.encodeOffsets as [number, number][][])[c]![c2]!, scale))),
      );
      geometry = { type: 'MultiPolygon', coordinates: polys };
    }
    return { type: 'Feature', id: f.id, properties: { name: f.properties.name, cp: f.properties.cp }, geometry };
  });
}

export const MAP_WIDTH = 800;
export const MAP_HEIGHT = 620;

export function provinceShapes(): ProvinceShape[] {
  const features = decodeChina();
  const collection: GeoPermissibleObjects = { type: 'FeatureCollection', features };
  // Albers equal-area with parallels suited to China.
  const projection = geoConicEqualArea()
    .parallels([25, 47])
    .rotate([-105, 0])
    .center([0, 36])
    .fitExtent(
      [
        [8, 8],
        [MAP_WIDTH - 8, MAP_HEIGHT - 8],
      ],
      collection,
    );
  const path = geoPath(projection);
  return features.map((f) => ({
    zh: String((f.properties as { name: string }).name),
    id: String(f.id),
    d: path(f) ?? '',
    centroid: path.centroid(f) as [number, number],
    capital: (projection((f.properties as { cp: [number, number] }).cp) ?? [0, 0]) as [number, number],
    area: path.area(f),
  }));
}
