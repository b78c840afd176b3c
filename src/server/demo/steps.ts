// Module demo steps register themselves by being imported here, in the order they run.
import './geo.step.js';
import './cases.step.js';
