<?php
/**
 * Uninstall: the plugin's settings and its cached cards go; posts keep their URLs, blocks
 * and shortcodes (without the plugin, pasted URLs fall back to WordPress's own embeds).
 *
 * @package ArticleEmbed
 */

defined( 'WP_UNINSTALL_PLUGIN' ) || exit;

delete_option( 'article_embed_settings' );

global $wpdb;
// The cached cards are transients named article_embed_<hash>.
$wpdb->query( // phpcs:ignore WordPress.DB.DirectDatabaseQuery -- transients by prefix have no API.
	$wpdb->prepare(
		"DELETE FROM {$wpdb->options} WHERE option_name LIKE %s OR option_name LIKE %s",
		$wpdb->esc_like( '_transient_article_embed_' ) . '%',
		$wpdb->esc_like( '_transient_timeout_article_embed_' ) . '%'
	)
);
