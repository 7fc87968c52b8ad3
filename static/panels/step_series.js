// What the two line-chart panels (losses, gradients) share: a chart fed one point a step. The
// run's history fills it when a session begins; then each frame of a later step adds a point and
// is drawn at once, and a frame of an earlier step (the run was reset) starts the chart again.

export class StepSeries {
  // chart: a StepChart; fromHistory(history) -> [{ x, y }] per trace; fromFrame(header) -> a
  // value per trace.
  constructor(chart, { fromHistory, fromFrame }) {
    this.chart = chart;
    this.fromHistory = fromHistory;
    this.fromFrame = fromFrame;
    this.lastStep = -1; // the last step the chart has a point for
  }

  begin(hello) {
    this.chart.reset(this.fromHistory(hello.history));
    // The history's last training row is plotted at step - 1 (measured before that step's
    // update); the frame of this very step is the next point, and at step 0 the first.
    this.lastStep = hello.session.step - 1;
  }

  update(frame) {
    const f = frame.header;
    if (f.step < this.lastStep) {
      this.chart.reset();
      this.lastStep = -1;
    }
    if (f.step > this.lastStep) {
      this.chart.push(f.step, this.fromFrame(f));
      this.lastStep = f.step;
      this.chart.draw();
    }
  }
}
