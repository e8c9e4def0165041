// Bar charts of net sales as SVG rendered on the server by Vega-Lite, so the page needs no
// client script and the CSP stays strict.
import * as vega from 'vega';
import * as vl from 'vega-lite';

export async function barChartSvg(points: { label: string; value: number }[], titles: { x: string; y: string }): Promise<string> {
  const spec = vl.compile({
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: Math.max(240, points.length * 18),
    height: 160,
    data: { values: points },
    mark: { type: 'bar', color: '#2f6f4f' },
    encoding: {
      x: { field: 'label', type: 'ordinal', title: titles.x, sort: null, axis: { labelAngle: -60 } },
      y: { field: 'value', type: 'quantitative', title: titles.y },
    },
    config: { font: 'IPAGothic, sans-serif' },
  } as vl.TopLevelSpec).spec;
  const view = new vega.View(vega.parse(spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
