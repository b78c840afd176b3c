/**
 * The field app's and the resident pages' styles: a phone in one hand, outdoors, in rain or sun.
 * Big type, strong contrast, touch targets of 48 px and more, nothing that needs hovering.
 */
import './styles/base.css';
import './styles/controls.css';
import './styles/map.css';
import './styles/photos.css';
import './styles/cases.css';
import './styles/frame.css';
