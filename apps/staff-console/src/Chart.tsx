import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  ChartDataset,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';
import { useEffect, useRef } from 'react';

Chart.register(
  BarController,
  BarElement,
  LineController,
  LineElement,
  PointElement,
  CategoryScale,
  LinearScale,
  Legend,
  Tooltip,
);

/** Colours told apart by people with the common colour-vision deficiencies (Okabe–Ito). */
export const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#000000'];

/**
 * One chart (Chart.js on a canvas). The canvas is an image to assistive technology, named by
 * `label`; the numbers themselves are in the table each chart has beside it.
 */
export function ChartCanvas({
  type,
  labels,
  datasets,
  label,
  stacked = false,
  onPick,
}: {
  type: 'bar' | 'line';
  labels: string[];
  datasets: { label: string; data: number[] }[];
  label: string;
  stacked?: boolean;
  onPick?: (index: number, dataset: number) => void;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!canvas.current) return undefined;
    const chart = new Chart(canvas.current, {
      type,
      data: {
        labels,
        datasets: datasets.map(
          (d, i) =>
            ({
              ...d,
              backgroundColor: PALETTE[i % PALETTE.length],
              borderColor: PALETTE[i % PALETTE.length],
              pointRadius: type === 'line' ? 1 : undefined,
            }) as ChartDataset<'bar' | 'line'>,
        ),
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        scales: { x: { stacked }, y: { stacked, beginAtZero: true, ticks: { precision: 0 } } },
        onClick: (_event, elements) => {
          const [first] = elements;
          if (first && onPick) onPick(first.index, first.datasetIndex);
        },
      },
    });
    return () => chart.destroy();
  }, [type, labels, datasets, stacked, onPick]);
  return (
    <div style={{ position: 'relative', height: 240 }}>
      <canvas ref={canvas} role="img" aria-label={label} />
    </div>
  );
}
