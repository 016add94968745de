/**
 * An aggregate as pure functions: `decide` turns a command into events given the
 * current state (or throws a DomainError), `evolve` folds one event into the state.
 * Rebuilding state is a left fold of `evolve` over the stream.
 */
export interface Decider<Command, State, Event> {
  readonly initialState: State;
  decide(command: Command, state: State): readonly Event[];
  evolve(state: State, event: Event): State;
}

export const rehydrate = <C, S, E>(decider: Decider<C, S, E>, events: Iterable<E>): S => {
  let state = decider.initialState;
  for (const event of events) state = decider.evolve(state, event);
  return state;
};
