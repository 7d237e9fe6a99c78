import { lifecycleStages } from '../../contacts/contact-schemas.js';
import { stageLabels } from './list-query.js';

/** The lifecycle stages as a select's options, `selected` chosen. */
export function StageOptions(props: { readonly selected: string | null }) {
  return lifecycleStages.map((stage) => (
    <option value={stage} selected={props.selected === stage}>
      {stageLabels[stage]}
    </option>
  ));
}
