<?php
/**
 * The editor script's dependencies (it has no build step).
 *
 * @package ArticleEmbed
 */

return array(
	'dependencies' => array( 'wp-block-editor', 'wp-blocks', 'wp-components', 'wp-element', 'wp-i18n', 'wp-server-side-render' ),
	'version'      => '0.1.0',
);
