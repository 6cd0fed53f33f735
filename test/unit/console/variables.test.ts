import { regexValue, selectionText } from '../../../src/console/variables';

describe('the console variables', () => {
  it('write a selection into a regex matcher as Grafana does: All, one value, several', () => {
    expect(regexValue([])).toBe('.*');
    expect(regexValue(['orders'])).toBe('orders');
    expect(regexValue(['orders', 'search'])).toBe('(orders|search)');
  });

  it('escape regex characters for a PromQL string, so a dotted value matches only itself', () => {
    const value = regexValue(['eu.west', 'a|b']);
    expect(value).toBe('(eu\\\\.west|a\\\\|b)');
    // A PromQL string unescapes as JSON does here; Prometheus anchors the regex it leaves.
    const regex = new RegExp(`^(?:${JSON.parse(`"${value}"`) as string})$`);
    expect(regex.test('eu.west')).toBe(true);
    expect(regex.test('euXwest')).toBe(false);
    expect(regex.test('a|b')).toBe(true);
    expect(regex.test('a')).toBe(false);
  });

  it('show the selection as Grafana does', () => {
    expect(selectionText([])).toBe('All');
    expect(selectionText(['orders', 'search'])).toBe('orders + search');
  });
});
