import * as XLSX from '@e965/xlsx';
import fs from 'node:fs';
const dir='/work/shared/data/cn-io-2017/provinces/';
for (const f of fs.readdirSync(dir).sort()) {
  const t0=Date.now();
  const wb = XLSX.read(fs.readFileSync(dir+f), {dense:true});
  const t1=Date.now();
  const ws = wb.Sheets[wb.SheetNames[0]];
  const rows = XLSX.utils.sheet_to_json(ws,{header:1, raw:true, defval:null});
  let coderow=-1; for (let i=0;i<rows.length;i++){ if (rows[i].some(c=>c==='GO'||c==='01')) {coderow=i;break;} }
  const hdr = rows[coderow];
  const codecol = rows.map(r=>r.findIndex(c=>c==='TII')).find(c=>c>=0);
  console.log(f, wb.SheetNames.join('|'), 'rows',rows.length,'coderow',coderow, 'title', JSON.stringify(rows[0][0]), 'hdr', JSON.stringify(hdr.slice(0,4)), JSON.stringify(hdr.slice(45)), 'codecol', codecol, t1-t0,'ms');
}
