// Fake of k6/data: a SharedArray is the array its factory returns.
export class SharedArray<T> extends Array<T> {
  constructor(_name: string, factory: () => T[]) {
    super();
    this.push(...factory());
  }
}
export default { SharedArray };
