// The baseline of renderer.ready_ratio: the least a React page built by the same Vite config can do.
import { useState } from 'react';
import { createRoot } from 'react-dom/client';

function Minimal(): React.JSX.Element {
  const [clicks, setClicks] = useState(0);
  return (
    <button type="button" onClick={() => setClicks(clicks + 1)}>
      Ready {clicks}
    </button>
  );
}

const root = document.getElementById('root');
if (root) createRoot(root).render(<Minimal />);
