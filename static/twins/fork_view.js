// Where the compare page's charts start on the step axis: a little before the fork, so the steps
// since the fork take two thirds of the width or more and the shared past just before it the
// rest. As the runs go on, the view widens back to step 0.
export function xFrom(forkStep, lastStep) {
  const since = Math.max(0, lastStep - forkStep);
  return Math.max(0, forkStep - Math.max(5, Math.ceil(since / 2)));
}
