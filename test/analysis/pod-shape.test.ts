import { readClusterObjects } from '../../src/analysis/object-reader';
import { ShapeSet } from '../../src/analysis/pod-shape';
import { IpBlock } from '../../src/model/ip-block';
import { pod as podObject } from '../fixtures/manifests';

const pod = (name: string, ip: string | undefined, labels: Record<string, string> = { app: 'web' }) => podObject('shop', name, labels, { ip });

function shapesOf(pods: any[], ipBlocks: IpBlock[]): string[][] {
  const { endpoints } = readClusterObjects(pods, 'default', []);
  const set = ShapeSet.build(endpoints, ipBlocks);
  return set.shapes.map(s => s.members.map(m => endpoints[m].name));
}

describe('ShapeSet', () => {
  const pods = Array.from({ length: 200 }, (_, i) => pod(`web-${i}`, `10.1.${Math.floor(i / 100)}.${(i % 100) + 1}`));

  test('pods with IPs but no policy ipBlock to tell them apart are one shape', () => {
    expect(shapesOf(pods, []).map(s => s.length)).toEqual([200]);
  });

  test('pods are told apart only by which policy ipBlocks contain their addresses', () => {
    const blocks = [IpBlock.fromValid({ cidr: '10.1.0.0/24' }), IpBlock.fromValid({ cidr: '10.0.0.0/8', except: ['10.1.1.0/25'] })];
    const shapes = shapesOf(pods, blocks);
    // 10.1.0.x: in both; 10.1.1.1-100 (below .128): in neither
    expect(shapes.map(s => s.length)).toEqual([100, 100]);
    expect(shapes[0]).toContain('shop/web-0');
    expect(shapes[1]).toContain('shop/web-100');
  });

  test('labels, and having an address at all, still tell pods apart', () => {
    const blocks = [IpBlock.fromValid({ cidr: '0.0.0.0/0' })];
    const shapes = shapesOf([pod('a', '10.0.0.1'), pod('b', '10.0.0.2'), pod('c', undefined), pod('d', '10.0.0.3', { app: 'db' })], blocks);
    expect(shapes).toEqual([['shop/a', 'shop/b'], ['shop/c'], ['shop/d']]);
  });
});
