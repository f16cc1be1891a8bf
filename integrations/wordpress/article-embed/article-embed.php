<?php
/**
 * Plugin Name:       Article card
 * Plugin URI:        https://github.com/article-embed/article-embed
 * Description:       News-article cards with a newsletter signup, from your article-embed server: paste a story's URL, or use the Article card block or the [article_embed] shortcode. Readers without script get the card too.
 * Version:           0.1.0
 * Requires at least: 6.1
 * Requires PHP:      7.4
 * Author:            article-embed
 * License:           MIT OR Apache-2.0
 * Text Domain:       article-embed
 * Domain Path:       /languages
 *
 * @package ArticleEmbed
 */

defined( 'ABSPATH' ) || exit;

define( 'ARTICLE_EMBED_PLUGIN_VERSION', '0.1.0' );
define( 'ARTICLE_EMBED_PLUGIN_FILE', __FILE__ );

require_once __DIR__ . '/includes/settings.php';
require_once __DIR__ . '/includes/render.php';

add_action( 'init', 'article_embed_init' );

/**
 * Registers what the plugin adds: the oEmbed provider, the block, the shortcode, the script.
 */
function article_embed_init() {
	load_plugin_textdomain( 'article-embed', false, dirname( plugin_basename( __FILE__ ) ) . '/languages' );

	article_embed_register_providers();

	register_block_type( __DIR__ . '/blocks/card', array( 'render_callback' => 'article_embed_render_block' ) );
	wp_set_script_translations( 'article-embed-card-editor-script', 'article-embed', __DIR__ . '/languages' );

	add_shortcode( 'article_embed', 'article_embed_shortcode' );

	$server = article_embed_server();
	if ( '' !== $server ) {
		// One script for every card on the page; it upgrades them all.
		wp_register_script( 'article-embed', $server . '/dist/article-embed.js', array(), null, true ); // phpcs:ignore WordPress.WP.EnqueuedResourceParameters.MissingVersion -- the server names its versions itself.
	}
}

/**
 * Makes the server a trusted oEmbed provider for its article URLs: its pages of articles,
 * its /embed/ frames and its JSON-LD, and the story sites named in the settings. WordPress
 * then keeps the server's card as it comes (with its script), for every writer, Authors
 * included, in the editor's preview too.
 */
function article_embed_register_providers() {
	$server = article_embed_server();
	if ( '' === $server ) {
		return;
	}
	$endpoint = $server . '/oembed?flavour=script';
	wp_oembed_add_provider( '#^' . preg_quote( $server, '#' ) . '/(articles|embed)/.+#i', $endpoint, true );
	foreach ( article_embed_story_sites() as $site ) {
		wp_oembed_add_provider( '#^' . preg_quote( $site, '#' ) . '/.+#i', $endpoint, true );
	}
}

add_filter( 'script_loader_tag', 'article_embed_module_tag', 10, 2 );

/**
 * The card's script is an ES module.
 *
 * @param string $tag    The script tag WordPress made.
 * @param string $handle The script's handle.
 * @return string
 */
function article_embed_module_tag( $tag, $handle ) {
	if ( 'article-embed' !== $handle ) {
		return $tag;
	}
	return str_replace( '<script ', '<script type="module" ', preg_replace( '# type=([\'"])text/javascript\1#', '', $tag ) );
}

add_filter( 'embed_oembed_html', 'article_embed_oembed_html', 10, 2 );

/**
 * A card from a pasted URL: its script tag becomes the one enqueued script.
 *
 * @param string $html The oEmbed HTML.
 * @param string $url  The pasted URL.
 * @return string
 */
function article_embed_oembed_html( $html, $url ) {
	if ( false === strpos( $html, '<article-embed' ) || ! article_embed_is_ours( $url ) ) {
		return $html;
	}
	return article_embed_take_script( $html );
}

add_filter( 'no_texturize_tags', 'article_embed_no_texturize' );

/**
 * The card's markup is the server's, to the byte: the browser takes it over only if it is
 * exactly what the script would draw, so WordPress's typography (curled quotes, dashes)
 * stays out of it.
 *
 * @param string[] $tags Tags whose content WordPress leaves as it is.
 * @return string[]
 */
function article_embed_no_texturize( $tags ) {
	$tags[] = 'article-embed';
	return $tags;
}

add_action( 'enqueue_block_editor_assets', 'article_embed_editor_assets' );

/**
 * In the editor, the script draws the previewed cards.
 */
function article_embed_editor_assets() {
	if ( wp_script_is( 'article-embed', 'registered' ) ) {
		wp_enqueue_script( 'article-embed' );
	}
}
