import { PetitionAction, PetitionRecord, PetitionRepository } from '../database/petition.repository';

/** A petition as staff and the portal see it: its state, and every act on it (who, when, why). */
export interface PetitionView extends PetitionRecord {
  actions: PetitionAction[];
}

export async function petitionView(repository: PetitionRepository, petition: PetitionRecord): Promise<PetitionView> {
  return { ...petition, actions: await repository.actions(petition.petitionId) };
}
