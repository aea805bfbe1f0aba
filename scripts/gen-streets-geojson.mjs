/**
 * Writes the demo district's street map (server/src/modules/cockpit/cockpit.streets.json): the streets'
 * areas as the Voronoi cells of their centres (the same centres the case seed places its cases around),
 * clipped to a drawn outline of the district. Synthetic but plausible: a case belongs to the street whose
 * centre is nearest, which is exactly the cell it falls in. Run: node scripts/gen-streets-geojson.mjs
 */
import { writeFileSync } from 'node:fs';

const STREETS = [
  ['ST01', '汉正街街道', 30.5725, 114.2705],
  ['ST02', '六角亭街道', 30.5771, 114.2642],
  ['ST03', '宝丰街道', 30.5838, 114.2581],
  ['ST04', '荣华街道', 30.5802, 114.2493],
  ['ST05', '古田街道', 30.5869, 114.2242],
  ['ST06', '韩家墩街道', 30.5903, 114.2355],
  ['ST07', '宗关街道', 30.5843, 114.2401],
  ['ST08', '汉水桥街道', 30.5748, 114.2589],
  ['ST09', '易家街道', 30.5951, 114.2288],
  ['ST10', '长丰街道', 30.6012, 114.2301],
];
// The district's outline (lng, lat), clockwise from the west: the Han River along the south, the rail line to the north.
const OUTLINE = [
  [114.2105, 30.5835],
  [114.2138, 30.5952],
  [114.2189, 30.6061],
  [114.2262, 30.6098],
  [114.2358, 30.6079],
  [114.2431, 30.6003],
  [114.2524, 30.5951],
  [114.2627, 30.5902],
  [114.2718, 30.5846],
  [114.2786, 30.5779],
  [114.2801, 30.5712],
  [114.2744, 30.5677],
  [114.2651, 30.5686],
  [114.2569, 30.5704],
  [114.2478, 30.5731],
  [114.2387, 30.5757],
  [114.2296, 30.5771],
  [114.2199, 30.5789],
];
const K = Math.cos((30.58 * Math.PI) / 180); // a degree of longitude is shorter than one of latitude here

/** Keeps the part of the polygon nearer to centre a than to centre b (Sutherland–Hodgman on the bisector). */
function clip(poly, a, b) {
  const side = (p) => {
    const da = ((p[0] - a[0]) * K) ** 2 + (p[1] - a[1]) ** 2;
    const db = ((p[0] - b[0]) * K) ** 2 + (p[1] - b[1]) ** 2;
    return db - da; // ≥ 0 inside
  };
  const out = [];
  for (let i = 0; i < poly.length; i++) {
    const p = poly[i];
    const q = poly[(i + 1) % poly.length];
    const sp = side(p);
    const sq = side(q);
    if (sp >= 0) out.push(p);
    if (sp >= 0 !== sq >= 0) {
      const t = sp / (sp - sq);
      out.push([p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])]);
    }
  }
  return out;
}

const r6 = (x) => Math.round(x * 1e6) / 1e6;
const features = STREETS.map(([code, name, lat, lng]) => {
  let poly = OUTLINE;
  for (const [c2, , lat2, lng2] of STREETS) if (c2 !== code) poly = clip(poly, [lng, lat], [lng2, lat2]);
  const ring = poly.map(([x, y]) => [r6(x), r6(y)]);
  ring.push(ring[0]);
  return {
    type: 'Feature',
    properties: { code, name, center: [lng, lat] },
    geometry: { type: 'Polygon', coordinates: [ring] },
  };
});
const file = new URL('../server/src/modules/cockpit/cockpit.streets.json', import.meta.url);
writeFileSync(file, JSON.stringify({ type: 'FeatureCollection', name: '汉江区街道（示意）', features }) + '\n');
console.log(`wrote ${features.length} streets to ${file.pathname}`);
