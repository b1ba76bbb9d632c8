import * as fs from 'fs';
import { distinctShapeCluster } from './bench/cli-scale';
const [n, per] = process.argv.slice(2).map(Number);
fs.writeFileSync('/tmp/wt12-ds.json', distinctShapeCluster(n, per));
