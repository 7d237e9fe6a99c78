export {
  createPersonalization,
  type Personalization,
  type PersonalizeOptions,
  type Profile,
  type Visitor,
} from './personalization.js';
