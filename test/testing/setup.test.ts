import '../../src/testing/setup';

test('the setup file registers the matchers', () => {
  const objects = [{ kind: 'Pod', metadata: { name: 'a', namespace: 'x' } }, { kind: 'Pod', metadata: { name: 'b', namespace: 'x' } }];
  expect(objects).toAllowTraffic({ from: 'x/a', to: 'x/b', port: 80 });
});
