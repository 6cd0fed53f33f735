/** Grafana's dark theme: colours by name, the classic palette, the heatmap scheme. */

export const THEME = {
  canvas: '#111217',
  panel: '#181b1f',
  secondary: '#22252b',
  border: 'rgba(204, 204, 220, 0.12)',
  borderMedium: 'rgba(204, 204, 220, 0.2)',
  text: 'rgb(204, 204, 220)',
  textSecondary: 'rgba(204, 204, 220, 0.65)',
  grid: 'rgba(240, 250, 255, 0.09)',
  link: '#6E9FFF',
  font: '"DejaVu Sans"',
};

export const HUES: Record<string, string> = {
  'super-light-red': '#FFA6B0', 'light-red': '#FF7383', red: '#F2495C', 'semi-dark-red': '#E02F44', 'dark-red': '#C4162A',
  'super-light-orange': '#FFCB7D', 'light-orange': '#FFB357', orange: '#FF9830', 'semi-dark-orange': '#FF780A', 'dark-orange': '#FA6400',
  'super-light-yellow': '#FFF899', 'light-yellow': '#FFEE52', yellow: '#FADE2A', 'semi-dark-yellow': '#F2CC0C', 'dark-yellow': '#E0B400',
  'super-light-green': '#C8F2C2', 'light-green': '#96D98D', green: '#73BF69', 'semi-dark-green': '#56A64B', 'dark-green': '#37872D',
  'super-light-blue': '#C0D8FF', 'light-blue': '#8AB8FF', blue: '#5794F2', 'semi-dark-blue': '#3274D9', 'dark-blue': '#1F60C4',
  'super-light-purple': '#DEB6F2', 'light-purple': '#CA95E5', purple: '#B877D9', 'semi-dark-purple': '#A352CC', 'dark-purple': '#8F3BB8',
  transparent: 'rgba(0,0,0,0)',
  text: THEME.text,
};

/** Grafana's classic palette, the default colour of series by their index in the panel. */
export const CLASSIC = [
  'green', 'yellow', 'blue', 'orange', 'red', 'purple', 'dark-green', 'dark-yellow', 'dark-blue', 'dark-orange', 'dark-red', 'dark-purple',
  'super-light-green', 'super-light-yellow', 'super-light-blue', 'super-light-orange', 'super-light-red', 'super-light-purple',
  '#447EBC', '#C15C17', '#890F02', '#0A437C', '#6D1F62', '#584477', '#B7DBAB', '#F4D598', '#70DBED', '#F9BA8F', '#F29191', '#82B5D8',
];

export const color = (name: string | undefined): string => (name ? HUES[name] ?? name : THEME.text);
export const paletteColor = (i: number) => color(CLASSIC[i % CLASSIC.length]);

/** A colour (`#rrggbb` or `rgb(...)`) with an alpha. */
export function alpha(c: string, a: number): string {
  const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(c);
  if (hex) return `rgba(${parseInt(hex[1]!, 16)}, ${parseInt(hex[2]!, 16)}, ${parseInt(hex[3]!, 16)}, ${a})`;
  const rgb = /^rgb\((\d+),\s*(\d+),\s*(\d+)\)$/.exec(c);
  if (rgb) return `rgba(${rgb[1]}, ${rgb[2]}, ${rgb[3]}, ${a})`;
  return c;
}

/** ColorBrewer Oranges, light to dark; Grafana reverses it in the dark theme (high counts bright). */
export const ORANGES = ['#fff5eb', '#fee6ce', '#fdd0a2', '#fdae6b', '#fd8d3c', '#f16913', '#d94801', '#a63603', '#7f2704'];

export function schemeColor(t: number): string {
  const stops = [...ORANGES].reverse();
  const x = Math.min(1, Math.max(0, t)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  const f = x - i;
  const a = stops[i]!;
  const b = stops[i + 1]!;
  const mix = (k: number) => Math.round(parseInt(a.slice(k, k + 2), 16) * (1 - f) + parseInt(b.slice(k, k + 2), 16) * f);
  return `rgb(${mix(1)}, ${mix(3)}, ${mix(5)})`;
}
