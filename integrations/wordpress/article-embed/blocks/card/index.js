/**
 * The Article card block in the editor: the story's URL and the card's options in the
 * sidebar, the card itself previewed as the post will show it (rendered by the server,
 * drawn by the server's script). Plain script on WordPress's globals: no build step.
 */
( function ( wp ) {
	const { registerBlockType } = wp.blocks;
	const { createElement: el, Fragment } = wp.element;
	const { __ } = wp.i18n;
	const { InspectorControls, useBlockProps } = wp.blockEditor;
	const { PanelBody, Placeholder, SelectControl, TextControl } = wp.components;
	const ServerSideRender = wp.serverSideRender;

	registerBlockType( 'article-embed/card', {
		edit( { attributes, setAttributes } ) {
			const blockProps = useBlockProps();
			const set = ( name ) => ( value ) => setAttributes( { [ name ]: value } );
			const url = el( TextControl, {
				label: __( 'Story URL', 'article-embed' ),
				type: 'url',
				value: attributes.url,
				placeholder: 'https://',
				onChange: set( 'url' ),
			} );
			const controls = el(
				InspectorControls,
				null,
				el(
					PanelBody,
					{ title: __( 'Card', 'article-embed' ) },
					url,
					el( SelectControl, {
						label: __( 'Layout', 'article-embed' ),
						value: attributes.layout,
						options: [
							{ label: __( 'Full (with the excerpt)', 'article-embed' ), value: '' },
							{ label: __( 'Compact', 'article-embed' ), value: 'compact' },
						],
						onChange: set( 'layout' ),
					} ),
					el( SelectControl, {
						label: __( 'Theme', 'article-embed' ),
						value: attributes.theme,
						options: [
							{ label: __( 'Follow the page', 'article-embed' ), value: '' },
							{ label: __( 'Light', 'article-embed' ), value: 'light' },
							{ label: __( 'Dark', 'article-embed' ), value: 'dark' },
						],
						onChange: set( 'theme' ),
					} ),
					el( TextControl, {
						label: __( 'Newsletter name', 'article-embed' ),
						help: __( 'Empty: the publisher\'s newsletter.', 'article-embed' ),
						value: attributes.newsletter,
						onChange: set( 'newsletter' ),
					} )
				)
			);
			const body = attributes.url
				? el( ServerSideRender, { block: 'article-embed/card', attributes } )
				: el( Placeholder, { icon: 'id-alt', label: __( 'Article card', 'article-embed' ), instructions: __( 'Paste the story\'s URL.', 'article-embed' ) }, url );
			return el( Fragment, null, controls, el( 'div', blockProps, body ) );
		},
		save() {
			// Rendered on the server, for every visit.
			return null;
		},
	} );
} )( window.wp );
