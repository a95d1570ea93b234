/** A process that dies mid-work, for the crash tests (test/faults): the error it dies with, and a way to await work that may die. */
export class ProcessDied extends Error {
  constructor() {
    super('the process died');
    this.name = 'ProcessDied';
  }
}

/** The work's result, or the ProcessDied it ended with; any other error is thrown. */
export async function survive<T>(work: Promise<T>): Promise<T | ProcessDied> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof ProcessDied) return error;
    throw error;
  }
}
