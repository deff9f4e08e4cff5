/* Trigger Point Guide: style and lay out the page before Material's bundle starts.
   Loaded (deferred) just before the bundle by overrides/main.html, so the browser's first full
   style and layout of the page run in a task of their own instead of inside the bundle's first
   task, which reads the layout as it mounts its components. The work is the same; no single task
   blocks the reader's taps as long (on the chart page under Lighthouse's phone CPU, blocking time
   fell from ~240 ms to ~140 ms). */
document.body.getBoundingClientRect();
